package dev.netns.internal;

import com.sun.jna.Native;
import dev.netns.NamespaceId;
import dev.netns.NamespaceType;
import dev.netns.NetnsException;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Checked wrappers around {@link LibC}: each calls one syscall and, when it fails, throws the
 * exception {@link Errno#failure} makes of its errno. Every fd is opened {@code O_CLOEXEC}.
 */
public final class Syscalls {

    public static final int O_RDONLY = 0;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_PATH = 0x200000;

    public static final long MS_BIND = 0x1000;
    public static final long MS_REC = 0x4000;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SHARED = 1L << 20;
    public static final int MNT_DETACH = 2;

    public static final int LOCK_EX = 2;
    public static final int LOCK_UN = 8;

    /** {@code f_type} of nsfs, the filesystem namespace files live on. */
    public static final long NSFS_MAGIC = 0x6e736673L;

    private static final long NS_GET_NSTYPE = 0xb703L;
    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_INO = 0x100;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Syscalls() {
    }

    /**
     * Opens a namespace file read-only and close-on-exec, and checks (fstatfs) that it is one.
     *
     * @throws NetnsException naming the path when it is not a namespace file, or the open failed
     */
    public static int openNamespace(String path, @Nullable String context) {
        Linux.require();
        int fd = LibC.open(path, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.failure("open", path, Native.getLastError(), context);
        }
        long[] statfs = new long[16];
        if (LibC.fstatfs(fd, statfs) != 0) {
            int errno = Native.getLastError();
            closeQuietly(fd);
            throw Errno.failure("fstatfs", "fd=" + fd + " (" + path + ")", errno, context);
        }
        if (statfs[0] != NSFS_MAGIC) {
            closeQuietly(fd);
            throw new NetnsException((context != null ? context + ": " : "") + path
                    + " is not a namespace file (filesystem magic 0x" + Long.toHexString(statfs[0])
                    + ", expected nsfs 0x" + Long.toHexString(NSFS_MAGIC) + ")", Errno.EINVAL, "EINVAL");
        }
        return fd;
    }

    /** Opens a file with the given flags plus O_CLOEXEC. */
    public static int open(String path, int flags, int mode, @Nullable String context) {
        Linux.require();
        int fd = LibC.open(path, flags | O_CLOEXEC, mode);
        if (fd < 0) {
            throw Errno.failure("open", path, Native.getLastError(), context);
        }
        return fd;
    }

    /** Closes an fd, throwing on EBADF (which means the fd was not ours). */
    public static void close(int fd) {
        if (LibC.close(fd) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) { // on Linux the fd is released even on EINTR
                throw Errno.failure("close", "fd=" + fd, errno, null);
            }
        }
    }

    /** Closes an fd on a path that is already failing; never throws. */
    public static void closeQuietly(int fd) {
        LibC.close(fd);
    }

    /** The namespace identity (device and inode) of an open fd. */
    public static NamespaceId idOf(int fd) {
        int[] statx = new int[64];
        if (LibC.statx(fd, "", AT_EMPTY_PATH, STATX_INO, statx) != 0) {
            throw Errno.failure("statx", "fd=" + fd, Native.getLastError(), null);
        }
        return idFrom(statx);
    }

    /** The namespace identity of a path, following the bind mount or magic link without opening it. */
    public static NamespaceId idOf(String path, @Nullable String context) {
        Linux.require();
        int[] statx = new int[64];
        if (LibC.statx(AT_FDCWD, path, 0, STATX_INO, statx) != 0) {
            throw Errno.failure("statx", path, Native.getLastError(), context);
        }
        return idFrom(statx);
    }

    /** Like {@link #idOf(String, String)} but {@code null} when the path cannot be stat'ed. */
    public static @Nullable NamespaceId idOfOrNull(String path) {
        Linux.require();
        int[] statx = new int[64];
        return LibC.statx(AT_FDCWD, path, 0, STATX_INO, statx) == 0 ? idFrom(statx) : null;
    }

    /**
     * Like {@link #idOfOrNull(String)} for a path from {@link #nativePath}, for callers that stat the
     * same path again and again.
     */
    public static @Nullable NamespaceId idOfOrNull(byte[] nativePath) {
        Linux.require();
        int[] statx = new int[64];
        return LibC.statx(AT_FDCWD, nativePath, 0, STATX_INO, statx) == 0 ? idFrom(statx) : null;
    }

    /**
     * Like {@link #idOfOrNull(byte[])} for a name inside an open directory ({@code statx(dirfd, name)}):
     * with {@code dirfd} on a thread's {@code /proc/.../ns} directory, only the last link is looked up.
     */
    public static @Nullable NamespaceId idOfOrNull(int dirfd, byte[] nativeName) {
        int[] statx = new int[64];
        return LibC.statx(dirfd, nativeName, 0, STATX_INO, statx) == 0 ? idFrom(statx) : null;
    }

    /**
     * A path as JNA passes a {@code String} to C (its default encoding, NUL-terminated), encoded
     * once: a {@code String} argument costs JNA a conversion on every call, about 0.8 µs here.
     */
    public static byte[] nativePath(String path) {
        Linux.require(); // JNA's encoding lookup loads its native library: refuse first off Linux
        byte[] encoded = path.getBytes(Charset.forName(Native.getDefaultStringEncoding()));
        return Arrays.copyOf(encoded, encoded.length + 1);
    }

    private static NamespaceId idFrom(int[] statx) {
        // struct statx: u64 stx_ino at byte 32, u32 stx_dev_major at 136, u32 stx_dev_minor at 140
        long inode = LITTLE_ENDIAN
                ? (statx[8] & 0xffffffffL) | ((long) statx[9] << 32)
                : (statx[9] & 0xffffffffL) | ((long) statx[8] << 32);
        return new NamespaceId(makedev(statx[34], statx[35]), inode);
    }

    /** glibc's {@code makedev}, so device numbers read like {@code st_dev} of {@code stat(2)}. */
    static long makedev(int major, int minor) {
        long maj = major & 0xffffffffL;
        long min = minor & 0xffffffffL;
        return ((maj & 0xfffff000L) << 32) | ((maj & 0xfffL) << 8)
                | ((min & 0xffffff00L) << 12) | (min & 0xffL);
    }

    /** The type of the namespace an fd refers to ({@code NS_GET_NSTYPE}), or null if unknown. */
    public static @Nullable NamespaceType typeOf(int fd) {
        int flag = LibC.ioctl(fd, NS_GET_NSTYPE);
        return flag < 0 ? null : NamespaceType.fromCloneFlag(flag);
    }

    /** {@code setns(fd, type)} on the calling thread. */
    public static void setns(int fd, NamespaceType type) {
        if (LibC.setns(fd, type.cloneFlag()) != 0) {
            throw Errno.failure("setns", "fd=" + fd + ", " + type.cloneFlagName(), Native.getLastError(), null);
        }
    }

    /** {@code unshare(flag)} on the calling thread. */
    public static void unshare(NamespaceType type) {
        Linux.require();
        if (LibC.unshare(type.cloneFlag()) != 0) {
            throw Errno.failure("unshare", type.cloneFlagName(), Native.getLastError(), null);
        }
    }

    /** {@code mount(source, target, fstype, flags, NULL)}. */
    public static void mount(String source, String target, String fstype, long flags, String flagNames) {
        if (LibC.mount(source, target, fstype, flags, null) != 0) {
            throw Errno.failure("mount", source + ", " + target + ", " + flagNames, Native.getLastError(), null);
        }
    }

    /** {@code mount} that returns errno instead of throwing (0 on success). */
    public static int tryMount(String source, String target, String fstype, long flags) {
        return LibC.mount(source, target, fstype, flags, null) == 0 ? 0 : Native.getLastError();
    }

    /** {@code umount2(target, flags)}, returning errno instead of throwing (0 on success). */
    public static int tryUmount2(String target, int flags) {
        return LibC.umount2(target, flags) == 0 ? 0 : Native.getLastError();
    }

    /** {@code unlink(path)}, returning errno instead of throwing (0 on success). */
    public static int tryUnlink(String path) {
        return LibC.unlink(path) == 0 ? 0 : Native.getLastError();
    }

    /** {@code flock(fd, operation)}, retried on EINTR. */
    public static void flock(int fd, int operation, String path) {
        while (LibC.flock(fd, operation) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw Errno.failure("flock", path + (operation == LOCK_EX ? ", LOCK_EX" : ", LOCK_UN"), errno, null);
            }
        }
    }

    /** The calling OS thread's id. */
    public static int gettid() {
        Linux.require();
        return LibC.gettid();
    }
}
