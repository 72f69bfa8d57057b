package dev.netns.internal;

import dev.netns.NetnsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading {@code /proc}: thread ids of this JVM, process ids, thread names. */
public final class ProcFs {

    private static final Path PROC = Path.of("/proc");
    private static final Path SELF_TASKS = Path.of("/proc/self/task");

    private ProcFs() {
    }

    /** The OS thread ids of this JVM. */
    public static List<Integer> threadIds() {
        return numericEntries(SELF_TASKS);
    }

    /** The ids of every process visible in {@code /proc}. */
    public static List<Integer> processIds() {
        return numericEntries(PROC);
    }

    /** A thread's OS name ({@code comm}), or {@code "?"} if it has gone. */
    public static String threadName(int tid) {
        try {
            return Files.readString(SELF_TASKS.resolve(Integer.toString(tid)).resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<Integer> numericEntries(Path dir) {
        Linux.require();
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    ids.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new NetnsException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        ids.sort(null);
        return ids;
    }
}
