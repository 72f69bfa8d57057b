package dev.netns.internal;

import dev.netns.NetnsException;
import org.jspecify.annotations.Nullable;

/**
 * Opens the network namespace the calling thread is in at the moment, again and again, for a thread
 * that changes it (the {@link NamespaceCreator}). Where the kernel can (Linux 6.11), through a pidfd
 * of the thread ({@code PIDFD_GET_NET_NAMESPACE}): no path is looked up, so nothing mounted over
 * a {@code /proc} entry can be opened instead, and it takes one syscall. Elsewhere through
 * {@code /proc/thread-self/ns/net}, opened {@code O_PATH} and proven nsfs before it is opened
 * ({@link Syscalls#openNamespace}). Close it on the thread that opened it, when done.
 */
final class ThreadNetNamespace implements AutoCloseable {

    private static final String PATH = "/proc/thread-self/ns/net";

    /** False once the kernel said it has no thread pidfds or no namespace ioctl on them. */
    private static volatile boolean pidfdApi = true;

    private int pidfd;

    private ThreadNetNamespace(int pidfd) {
        this.pidfd = pidfd;
    }

    /** Test hook: whether pidfds are tried (they are until the kernel says it has none). */
    static void usePidfds(boolean use) {
        pidfdApi = use;
    }

    /** Whether the last open went through a pidfd, for tests. */
    boolean throughPidfd() {
        return pidfd >= 0;
    }

    /** For the calling thread, whose OS thread id is {@code tid}. */
    static ThreadNetNamespace ofCallingThread(int tid) {
        if (!pidfdApi) {
            return new ThreadNetNamespace(-1);
        }
        int fd = Syscalls.tryThreadPidfd(tid);
        if (fd < 0 && (fd == -Errno.ENOSYS || fd == -Errno.EINVAL)) {
            pidfdApi = false; // before Linux 6.9 (EINVAL: no PIDFD_THREAD) or 5.3
        }
        return new ThreadNetNamespace(fd);
    }

    /**
     * The calling thread's network namespace now, as an fd open {@code O_RDONLY|O_CLOEXEC} that the
     * caller owns.
     *
     * @throws NetnsException as the open failed
     */
    int open(@Nullable String context) {
        if (pidfd >= 0) {
            int fd = Syscalls.tryNetNamespaceOf(pidfd);
            if (fd >= 0) {
                return fd;
            }
            if (fd == -Errno.ENOTTY || fd == -Errno.EINVAL) {
                pidfdApi = false; // before Linux 6.11: no namespace ioctls on pidfds
            }
            Syscalls.closeQuietly(pidfd);
            pidfd = -1;
        }
        return Syscalls.openNamespace(PATH, context);
    }

    @Override
    public void close() {
        if (pidfd >= 0) {
            Syscalls.closeQuietly(pidfd);
            pidfd = -1;
        }
    }
}
