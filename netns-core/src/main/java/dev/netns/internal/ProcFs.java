package dev.netns.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /**
     * When a process started, in clock ticks since boot (field 22 of {@code /proc/PID/stat}), or
     * -1 when there is no such process. A pid and its start time together name one process: a
     * reused pid has a later start time.
     */
    public static long startTime(int pid) {
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Integer.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return -1;
        }
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count after the last ')'.
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return -1;
        }
        String[] fields = stat.substring(end + 1).strip().split(" ");
        // fields[0] is field 3 (state), so field 22 is fields[19]
        if (fields.length < 20) {
            return -1;
        }
        try {
            return Long.parseLong(fields[19]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<Integer> numericEntries(Path dir) {
        List<Integer> ids = new ArrayList<>();
        for (byte[] name : Syscalls.readDirectory(dir.toString(), "Cannot list " + dir)) {
            if (isNumber(name)) {
                ids.add(Integer.parseInt(new String(name, StandardCharsets.US_ASCII)));
            }
        }
        ids.sort(null);
        return ids;
    }

    private static boolean isNumber(byte[] name) {
        if (name.length == 0 || name.length > 9) {
            return false;
        }
        for (byte b : name) {
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return true;
    }
}
