package dev.netns.internal;

import dev.netns.NetnsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The run dir as iproute2 prepares it before a create: it exists, and it is a shared mount point
 * (bound onto itself if it was not a mount point), so names mounted in it propagate to other
 * mount namespaces. iproute2 prepares it before every create; a create here first looks, on the
 * fd it works through, whether it is already so, and prepares it only when not.
 */
final class SharedRunDir {

    private SharedRunDir() {
    }

    /**
     * Opens the run dir for a create when it already is what {@link #prepareAndOpen} makes of it,
     * so that the {@code mkdir}, {@code flock} and {@code mount} calls, which would change nothing,
     * are skipped. The check is made on the very fd the create then works through, on every call,
     * so nothing is remembered that could go stale: the fd must be the root of a shared mount
     * ({@link RunDirectory#isSharedMountPoint()}).
     *
     * @return the open run dir, or null when it is missing, cannot be opened, is not a mount point
     *     (unmounted, replaced), is not shared (any more), or the kernel cannot tell (before Linux 6.8)
     */
    static @Nullable RunDirectory openIfShared(Path dir) {
        RunDirectory opened = RunDirectory.open(dir, new int[1]);
        if (opened == null) {
            return null;
        }
        try {
            if (opened.isSharedMountPoint()) {
                return opened;
            }
        } catch (RuntimeException | Error e) {
            opened.close();
            throw e;
        }
        opened.close(); // a directory about to be bound onto itself: its fd would be below the new mount
        return null;
    }

    /**
     * Prepares the run dir as iproute2 does ({@link #prepare}) and opens it.
     *
     * @throws NetnsException naming the syscall that failed
     */
    static RunDirectory prepareAndOpen(Path dir, String context) {
        prepare(dir, context);
        int[] errno = new int[1];
        RunDirectory opened = RunDirectory.open(dir, errno);
        if (opened == null) {
            throw Errno.failure("open", dir + ", O_PATH|O_DIRECTORY", errno[0], context);
        }
        return opened;
    }

    /**
     * Makes the run dir exist and be a shared mount point, under an exclusive flock so concurrent
     * creators (this JVM or iproute2-like tools that lock) do not stack mounts. Directories it had to
     * create are removed again when the mount fails (without CAP_SYS_ADMIN, say), empty ones only.
     */
    private static void prepare(Path dir, String context) {
        Path firstCreated = firstMissing(dir);
        try {
            shareRunDir(dir, context);
        } catch (RuntimeException | Error e) {
            removeCreated(dir, firstCreated);
            throw e;
        }
    }

    private static void shareRunDir(Path dir, String context) {
        Syscalls.mkdirs(dir, context);
        String path = dir.toString();
        int lockFd = Syscalls.open(path, Syscalls.O_RDONLY | Syscalls.O_DIRECTORY, 0, context);
        try {
            Syscalls.flock(lockFd, Syscalls.LOCK_EX, path);
            int errno = Syscalls.tryMount("", path, "none", Syscalls.MS_SHARED | Syscalls.MS_REC);
            if (errno == Errno.EINVAL) {
                // Not a mount point yet: bind it onto itself, give it a peer group of its own, share it.
                Syscalls.mount(path, path, "none", Syscalls.MS_BIND | Syscalls.MS_REC, "MS_BIND|MS_REC");
                Syscalls.mount("", path, "none", Syscalls.MS_PRIVATE | Syscalls.MS_REC, "MS_PRIVATE|MS_REC");
                Syscalls.mount("", path, "none", Syscalls.MS_SHARED | Syscalls.MS_REC, "MS_SHARED|MS_REC");
            } else if (errno != 0) {
                throw Errno.failure("mount", path + ", MS_SHARED|MS_REC", errno, context);
            }
        } finally {
            Syscalls.closeQuietly(lockFd); // releases the flock
        }
    }

    /** The outermost directory on the way to {@code dir} that does not exist yet, or null when it exists. */
    private static @Nullable Path firstMissing(Path dir) {
        Path missing = null;
        for (Path path = dir; path != null && !Files.exists(path, LinkOption.NOFOLLOW_LINKS); path = path.getParent()) {
            missing = path;
        }
        return missing;
    }

    /** Removes {@code dir} and its parents up to {@code firstCreated}, while they are empty. */
    private static void removeCreated(Path dir, @Nullable Path firstCreated) {
        if (firstCreated == null) {
            return;
        }
        for (Path path = dir; path != null && path.startsWith(firstCreated); path = path.getParent()) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                return; // in use by now (not empty, a mount point): leave it and what holds it
            }
        }
    }

}
