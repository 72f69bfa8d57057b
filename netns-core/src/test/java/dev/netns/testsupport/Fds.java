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

    /**
     * What marks, in {@link #targets()}, an fd on a mount in none of this process's mount namespaces
     * (an {@code open_tree} copy, or a file on a mount detached since): the copy of a run dir's mount
     * a runtime holds for its deletes.
     */
    public static final String DETACHED_MOUNT = "detached mount: ";

    /**
     * How a held copy of a run dir's mount reads in {@link #targets()}: the root of a detached
     * mount. A file open on a mount detached since reads its path below that root, and is a leak.
     */
    private static final String HELD_COPY = DETACHED_MOUNT + "/";

    /**
     * The targets of this process's open fds ({@code /proc/self/fd/N} links), e.g. {@code net:[4026532281]};
     * an fd on a detached mount reads {@link #DETACHED_MOUNT} and its link.
     */
    public static java.util.List<String> targets() {
        java.util.Set<String> attached = attachedMountIds();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.startsWith("/")) {
                        return target; // sockets, pipes, namespaces: on the kernel's internal mounts
                    }
                    String mount = fdinfo(fd.getFileName().toString(), "mnt_id:");
                    return mount != null && !attached.contains(mount) ? DETACHED_MOUNT + target : target;
                } catch (IOException e) {
                    return ""; // closed meanwhile (the directory stream's own fd among them)
                }
            }).filter(target -> !target.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many roots of detached mounts this process holds open: the copies of run dirs' mounts that runtimes hold. */
    public static long detachedMounts() {
        return targets().stream().filter(HELD_COPY::equals).count();
    }

    private static java.util.Set<String> attachedMountIds() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(line -> line.split(" ", 2)[0])
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static @org.jspecify.annotations.Nullable String fdinfo(String fd, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).strip();
            }
        }
        return null;
    }

    /**
     * The targets of the fds open now that were not open at {@code before} (a list of
     * {@link #targets()}), leaving out what the library never opens and other threads of this JVM
     * open and close at any time: Unix domain sockets (Docker clients, say), pipes (the JDK
     * closes a finished child process's pipes a moment after {@code waitFor} returns) and cgroup
     * files (HotSpot's compiler and service threads read the container's memory limits from
     * {@code /sys/fs/cgroup}), and the copy of a run dir's mount that a runtime holds from its first
     * delete on (the root of a detached mount, counted by {@link #detachedMounts()} where that matters). A
     * leaked namespace handle or netlink socket shows, as {@code net:[...]}, a path, or another socket.
     */
    public static java.util.List<String> addedSince(java.util.List<String> before) {
        java.util.List<String> added = new java.util.ArrayList<>(targets());
        before.forEach(added::remove);
        java.util.Set<String> unix = unixSockets();
        added.removeIf(target -> unix.contains(target) || target.startsWith("pipe:[") || target.startsWith("/sys/fs/cgroup/")
                || target.equals(HELD_COPY));
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
