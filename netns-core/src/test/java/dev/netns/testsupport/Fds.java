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

    /**
     * The targets of the fds open now that were not open at {@code before} (a list of
     * {@link #targets()}), leaving out what the library never opens and other threads of this JVM
     * open and close at any time: Unix domain sockets (Docker clients, say), pipes (the JDK
     * closes a finished child process's pipes a moment after {@code waitFor} returns) and cgroup
     * files (HotSpot's compiler and service threads read the container's memory limits from
     * {@code /sys/fs/cgroup}). A leaked namespace handle or netlink socket shows, as
     * {@code net:[...]}, a path, or another socket.
     */
    public static java.util.List<String> addedSince(java.util.List<String> before) {
        java.util.List<String> added = new java.util.ArrayList<>(targets());
        before.forEach(added::remove);
        java.util.Set<String> unix = unixSockets();
        added.removeIf(target -> unix.contains(target) || target.startsWith("pipe:[") || target.startsWith("/sys/fs/cgroup/"));
        return added;
    }

    /** {@code socket:[INODE]} of every Unix domain socket of this network namespace ({@code /proc/self/net/unix}). */
    private static java.util.Set<String> unixSockets() {
        try {
            return Files.readAllLines(Path.of("/proc/self/net/unix")).stream().skip(1)
                    .map(line -> line.trim().split("\\s+"))
                    .filter(fields -> fields.length >= 7)
                    .map(fields -> "socket:[" + fields[6] + "]")
                    .collect(java.util.stream.Collectors.toSet());
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
