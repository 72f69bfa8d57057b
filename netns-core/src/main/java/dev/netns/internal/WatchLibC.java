package dev.netns.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.Buffer;

/**
 * The libc functions the run-dir watch needs ({@code inotify(7)}, {@code eventfd(2)},
 * {@code poll(2)}), bound with JNA direct mapping like {@link LibC}. Each returns -1 on failure
 * with errno readable through {@link Native#getLastError()} right after the call. None of them
 * touches the calling thread's namespaces.
 */
final class WatchLibC {

    static {
        Native.register(WatchLibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private WatchLibC() {
    }

    /** {@code inotify_init1(2)}: a new inotify instance. Errors: EMFILE (max_user_instances), ENFILE, ENOMEM. */
    static native int inotify_init1(int flags);

    /**
     * {@code inotify_add_watch(2)}: watches {@code path} for the events in {@code mask}; returns the
     * watch descriptor. Errors: ENOENT, ENOTDIR (with IN_ONLYDIR), EACCES, ENOSPC (max_user_watches).
     */
    static native int inotify_add_watch(int fd, String path, int mask);

    /** {@code inotify_rm_watch(2)}. Errors: EINVAL (the watch is gone already, e.g. its directory was removed). */
    static native int inotify_rm_watch(int fd, int wd);

    /** {@code eventfd(2)}: a counter fd that polls readable once written. Errors: EMFILE, ENFILE, ENOMEM. */
    static native int eventfd(int initval, int flags);

    /** {@code read(2)} into a direct buffer, from its start. Errors: EAGAIN (non-blocking, nothing to read), EINTR. */
    static native long read(int fd, Buffer buf, long count);

    /** {@code write(2)}. Errors: EAGAIN, EINTR, EBADF. */
    static native long write(int fd, byte[] buf, long count);

    /**
     * {@code poll(2)} on {@code nfds} {@code struct pollfd}s (int fd, short events, short revents);
     * {@code timeout} in milliseconds, -1 for none. Errors: EINTR, ENOMEM.
     */
    static native int poll(Pointer fds, long nfds, int timeout);
}
