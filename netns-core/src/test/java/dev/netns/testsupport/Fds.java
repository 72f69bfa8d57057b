package dev.netns.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The open file descriptors of this JVM. */
public final class Fds {

    private Fds() {
    }

    /** How many fds this process has open now. */
    public static long count() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The targets of this process's open fds ({@code /proc/self/fd/N} links), e.g. {@code net:[4026532281]}. */
    public static java.util.List<String> targets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed meanwhile (the directory stream's own fd among them)
                }
            }).filter(target -> !target.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code flags:} of an fd from {@code /proc/self/fdinfo}, an octal number. */
    public static long flags(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("flags:")) {
                    return Long.parseLong(line.substring(6).strip(), 8);
                }
            }
            throw new IllegalStateException("no flags for fd " + fd);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
