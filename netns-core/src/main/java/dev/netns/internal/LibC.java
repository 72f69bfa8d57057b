package dev.netns.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.Buffer;

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

    /**
     * Whether {@link MountApi} could be bound; read here so it is bound with these, and the native
     * resources a binding takes (libffi's trampoline pages) are taken once, not during a first create.
     */
    static final boolean MOUNT_API = MountApi.AVAILABLE;

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

    /**
     * {@code ioctl(2)} with an integer argument, for the pidfd ioctls that open a namespace
     * ({@code PIDFD_GET_NET_NAMESPACE}, Linux 6.11), which want it 0. Errors: ENOTTY (an older
     * kernel), EINVAL, ESRCH (the thread is gone), EBADF.
     */
    static native int ioctl(int fd, long request, long argument);

    /** {@code mount(2)}. Errors: EPERM, EINVAL (e.g. not a mount point for propagation changes). */
    static native int mount(String source, String target, String fstype, long flags, Pointer data);

    /** {@code umount2(2)}. Errors: EINVAL (not a mount point), ENOENT, EPERM, EBUSY. */
    static native int umount2(String target, int flags);

    /**
     * {@code openat(2)} with the path already encoded and NUL-terminated: a name inside the open
     * directory {@code dirfd}. Errors: ENOENT, EEXIST (O_CREAT|O_EXCL), ELOOP (O_NOFOLLOW without
     * O_PATH on a symlink), EACCES, EMFILE...
     */
    static native int openat(int dirfd, byte[] path, int flags, int mode);

    /** {@code unlinkat(2)} of a name inside {@code dirfd}. Errors: ENOENT, EBUSY (a mount point), EISDIR, EPERM. */
    static native int unlinkat(int dirfd, byte[] path, int flags);

    /** {@code statx(2)} into a byte buffer (256 bytes), the path encoded and NUL-terminated. */
    static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] statxbuf);

    /** {@code umount2(2)} with the path already encoded and NUL-terminated. */
    static native int umount2(byte[] target, int flags);

    /** {@code fdopendir(3)}: takes over the fd (closed by {@link #closedir}); null on failure. */
    static native Pointer fdopendir(int fd);

    /**
     * {@code readdir64(3)}: the next {@code struct dirent64} (name NUL-terminated at byte 19), or
     * null at the end (errno unchanged) or on failure (errno set).
     */
    static native Pointer readdir64(Pointer dir);

    /** {@code closedir(3)}: closes the stream and its fd. */
    static native int closedir(Pointer dir);

    /** {@code flock(2)} on a whole file. Errors: EBADF, EINTR, EWOULDBLOCK (with LOCK_NB). */
    static native int flock(int fd, int operation);

    /** {@code mkdir(2)}. Errors: EEXIST, ENOENT (a parent is missing), ENOTDIR, EACCES, EROFS. */
    static native int mkdir(String path, int mode);

    /**
     * {@code socket(2)}: a new socket fd. A netlink socket belongs to the network namespace of the
     * calling thread for good. Errors: EAFNOSUPPORT, EPROTONOSUPPORT, EMFILE, ENFILE, ENOBUFS, ENOMEM,
     * EACCES (refused by a security policy).
     */
    static native int socket(int domain, int type, int protocol);

    /**
     * {@code bind(2)}: binds a socket to the address in {@code addr} ({@code addrlen} bytes). For
     * {@code AF_NETLINK} with port id 0 the kernel picks a free port id. Errors: EBADF, EINVAL
     * (already bound), EADDRINUSE, ENOTSOCK.
     */
    static native int bind(int fd, byte[] addr, int addrlen);

    /**
     * {@code send(2)}: sends {@code len} bytes of {@code buf} on a socket; returns the number sent.
     * Errors: EBADF, EINTR, EMSGSIZE, ENOBUFS, ECONNREFUSED, ENOTSOCK.
     */
    static native long send(int fd, byte[] buf, long len, int flags);

    /**
     * {@code recv(2)}: receives one datagram into {@code buf} (a direct buffer, written from its
     * start), at most {@code len} bytes. With {@code MSG_TRUNC} it returns the datagram's real
     * length even when that is more than {@code len}. Errors: EBADF, EINTR, EAGAIN, ENOBUFS (a
     * netlink socket's receive queue overflowed), ENOTSOCK.
     */
    static native long recv(int fd, Buffer buf, long len, int flags);

    /**
     * {@code inet_ntop(3)}: writes the text form of an {@code AF_INET} (4 bytes) or {@code AF_INET6}
     * (16 bytes) address into {@code dst} as a NUL-terminated string, exactly as {@code ip} prints
     * it; returns {@code dst}, or null with errno EAFNOSUPPORT or ENOSPC ({@code size} too small).
     */
    static native Pointer inet_ntop(int af, byte[] src, byte[] dst, int size);

    /**
     * {@code syscall(2)} with two buffers, a size and flags, for {@code statmount(2)}, which older C
     * libraries do not wrap. Returns -1 with errno on failure (ENOSYS before Linux 6.8).
     */
    static native long syscall(long number, byte[] request, byte[] buffer, long size, int flags);

    /**
     * {@code syscall(2)} with an fd, a buffer and its size, for {@code getdents64(2)}, which older C
     * libraries do not wrap. Returns the bytes read (0 at the end), or -1 with errno.
     */
    static native long syscall(long number, int fd, byte[] buffer, long size);

    /**
     * {@code syscall(2)} with two integers, for {@code pidfd_open(2)}, which older C libraries do not
     * wrap. Returns the result, or -1 with errno (ENOSYS before Linux 5.3, EINVAL for a flag the
     * kernel does not know).
     */
    static native long syscall(long number, int first, int second);

    /** {@code gettid(2)}: the calling OS thread's id. Never fails. */
    static native int gettid();

    /** {@code strerror(3)}: the description of an errno. */
    static native String strerror(int errnum);
}
