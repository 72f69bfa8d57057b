package dev.netns.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc functions netns needs, bound with JNA direct mapping (about 1.3x a C call, against
 * 2.4x for interface mapping). Each returns -1 on failure with errno readable through
 * {@link Native#getLastError()} right after the call; {@link Syscalls} does that and turns
 * errno into exceptions. Loaded on first use only, so nothing fails at class load elsewhere.
 */
final class LibC {

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    /**
     * {@code setns(2)}: moves the calling thread into the namespace {@code fd} refers to. Affects
     * only the calling thread. Errors: EBADF (bad fd), EINVAL (not a namespace of type
     * {@code nstype}, or mnt/user namespace in a multithreaded process), EPERM (no CAP_SYS_ADMIN).
     */
    static native int setns(int fd, int nstype);

    /**
     * {@code unshare(2)}: gives the calling thread new namespaces of the {@code flags} types.
     * Affects only the calling thread for net/uts/ipc. Errors: EPERM, EINVAL, ENOMEM, ENOSPC.
     */
    static native int unshare(int flags);

    /** {@code open(2)}: returns a new fd. Errors: ENOENT, EACCES, EEXIST (O_EXCL), EMFILE... */
    static native int open(String path, int flags, int mode);

    /** {@code close(2)}. Errors: EBADF, EINTR (the fd is closed anyway on Linux). */
    static native int close(int fd);

    /** {@code statx(2)}: 256-byte {@code struct statx}, the same layout on every architecture. */
    static native int statx(int dirfd, String path, int flags, int mask, int[] statxbuf);

    /**
     * {@code statx(2)} with the path already encoded and NUL-terminated ({@link Syscalls#nativePath}),
     * which spares JNA converting a {@code String} on every call: for paths stat'ed on a hot path.
     */
    static native int statx(int dirfd, byte[] path, int flags, int mask, int[] statxbuf);

    /** {@code fstatfs(2)}: {@code f_type} is the first machine word of {@code struct statfs}. */
    static native int fstatfs(int fd, long[] statfsbuf);

    /** {@code ioctl(2)} without argument, for {@code NS_GET_NSTYPE}. Errors: ENOTTY, EBADF. */
    static native int ioctl(int fd, long request);

    /** {@code mount(2)}. Errors: EPERM, EINVAL (e.g. not a mount point for propagation changes). */
    static native int mount(String source, String target, String fstype, long flags, Pointer data);

    /** {@code umount2(2)}. Errors: EINVAL (not a mount point), ENOENT, EPERM, EBUSY. */
    static native int umount2(String target, int flags);

    /** {@code flock(2)} on a whole file. Errors: EBADF, EINTR, EWOULDBLOCK (with LOCK_NB). */
    static native int flock(int fd, int operation);

    /** {@code unlink(2)}. Errors: ENOENT, EBUSY (the file is a mount point), EPERM, EACCES. */
    static native int unlink(String path);

    /** {@code gettid(2)}: the calling OS thread's id. Never fails. */
    static native int gettid();

    /** {@code strerror(3)}: the description of an errno. */
    static native String strerror(int errnum);
}
