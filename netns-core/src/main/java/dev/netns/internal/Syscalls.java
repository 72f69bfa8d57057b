package dev.netns.internal;

import com.sun.jna.Native;
import dev.netns.NamespaceId;
import dev.netns.NamespaceType;
import dev.netns.NetnsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Checked wrappers around {@link LibC}: each calls one syscall and, when it fails, throws the
 * exception {@link Errno#failure} makes of its errno. Every fd is opened {@code O_CLOEXEC}.
 * (Longer than this project's usual classes: one small wrapper per syscall, which would gain
 * nothing from being split.)
 */
public final class Syscalls {

    public static final int O_RDONLY = 0;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_NOCTTY = 0x100;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    /** {@code O_DIRECTORY}: differs between architectures (arm and aarch64 have their own). */
    public static final int O_DIRECTORY = isArm() ? 0x4000 : 0x10000;
    /** {@code CLONE_FS}: the flag of {@code unshare(2)} that gives a thread filesystem data of its own. */
    private static final int CLONE_FS = 0x200;
    /** {@code O_NOFOLLOW}: differs between architectures (arm and aarch64 have their own). */
    public static final int O_NOFOLLOW = isArm() ? 0x8000 : 0x20000;
    public static final int O_PATH = 0x200000;

    public static final long MS_BIND = 0x1000;
    public static final long MS_REC = 0x4000;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SHARED = 1L << 20;
    public static final int MNT_DETACH = 2;
    public static final int UMOUNT_NOFOLLOW = 8;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    public static final int MSG_TRUNC = 0x20;

    public static final int LOCK_EX = 2;
    public static final int LOCK_UN = 8;

    /** {@code f_type} of nsfs, the filesystem namespace files live on. */
    public static final long NSFS_MAGIC = 0x6e736673L;

    private static final int INET6_ADDRSTRLEN = 46;
    private static final long NS_GET_NSTYPE = 0xb703L;
    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_INO = 0x100;
    private static final byte[] EMPTY = {0};
    private static final byte[] DOT = {'.', 0};
    private static final long DIRENT_NAME_OFFSET = 19;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private static final String PROC_SELF_FD = "/proc/self/fd/";

    /** {@code statmount(2)}: the same number on every architecture (the unified syscall table). */
    private static final long SYS_STATMOUNT = 457;
    /** {@code pidfd_open(2)}: the same number on every architecture (the unified syscall table). */
    private static final long SYS_PIDFD_OPEN = 434;
    /** {@code PIDFD_THREAD}, {@code O_EXCL} (Linux 6.9): a pidfd of a thread, not only of a process. */
    private static final int PIDFD_THREAD = O_EXCL;
    /** {@code PIDFD_GET_NET_NAMESPACE}, {@code _IO(0xFF, 4)} (Linux 6.11). */
    private static final long PIDFD_GET_NET_NAMESPACE = 0xFF04L;
    /** {@code getdents64(2)}: 217 on x86_64, 61 in the unified table (aarch64); -1 where not known here. */
    private static final long SYS_GETDENTS64 = getdentsNumber();
    private static final int MNT_ID_REQ_SIZE_VER0 = 24;
    private static final long STATMOUNT_SB_BASIC = 0x1;
    private static final long STATMOUNT_MNT_BASIC = 0x2;
    private static final int STATMOUNT_BUFFER = 1024; // struct statmount is 512 bytes; no strings asked for

    /**
     * Whether the kernel may have the mount API through fds ({@link MountApi}); false after it said
     * ENOSYS. (Not read from {@link LibC} here: that would load JNA when this class loads.)
     */
    private static volatile boolean kernelMountApi = true;

    private Syscalls() {
    }

    private static long getdentsNumber() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64") ? 217 : arch.equals("aarch64") ? 61 : -1;
    }

    private static boolean isArm() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("aarch64") || arch.startsWith("arm");
    }

    /**
     * Opens a namespace file read-only and close-on-exec, proving first that it is one: the path
     * is opened {@code O_PATH} (which opens nothing: no FIFO is woken, no device driver called,
     * whatever the path holds), that fd is checked with {@code fstatfs} to be on nsfs, and only
     * then is the very same file opened for reading, through {@code /proc/self/fd}. Symbolic and
     * {@code /proc} magic links on the way are followed: they can only land on a file that is then
     * checked in the same way.
     *
     * @throws NotANamespaceException naming the path and what it is when it is not a namespace file
     * @throws NetnsException naming the syscall and errno when a lookup or open failed
     */
    public static int openNamespace(String path, @Nullable String context) {
        Linux.require();
        int pathFd = LibC.open(path, O_PATH | O_CLOEXEC, 0);
        if (pathFd < 0) {
            throw Errno.failure("open", path + ", O_PATH", Native.getLastError(), context);
        }
        try {
            requireNamespaceFile(pathFd, path, context);
            return reopen(pathFd, O_RDONLY, path, context);
        } finally {
            closeQuietly(pathFd);
        }
    }

    /**
     * Checks with {@code fstatfs} that an fd (typically {@code O_PATH}) is a namespace file.
     *
     * @param shown how the file is named in messages
     * @throws NotANamespaceException when it is not one, saying what it is instead
     */
    public static void requireNamespaceFile(int fd, String shown, @Nullable String context) {
        long magic = filesystemType(fd, shown, context);
        if (magic != NSFS_MAGIC) {
            FileStat stat = statOrNull(fd);
            throw Errno.notANamespace(shown + " is not a namespace file: it is " + (stat != null ? stat.typeName() : "a file")
                    + " on a filesystem with magic 0x" + Long.toHexString(magic) + " (nsfs is 0x"
                    + Long.toHexString(NSFS_MAGIC) + "); it was not opened", Errno.EINVAL, context);
        }
    }

    /** {@code f_type} of the filesystem an fd is on ({@code fstatfs}). */
    public static long filesystemType(int fd, String shown, @Nullable String context) {
        long[] statfs = new long[16];
        if (LibC.fstatfs(fd, statfs) != 0) {
            throw Errno.failure("fstatfs", "fd=" + fd + " (" + shown + ")", Native.getLastError(), context);
        }
        return statfs[0];
    }

    /** Opens the file an fd (typically {@code O_PATH}) refers to, again, through {@code /proc/self/fd}. */
    public static int reopen(int fd, int flags, String shown, @Nullable String context) {
        int reopened = LibC.open(PROC_SELF_FD + fd, flags | O_CLOEXEC, 0);
        if (reopened < 0) {
            throw Errno.failure("open", PROC_SELF_FD + fd + " (" + shown + ")", Native.getLastError(), context);
        }
        return reopened;
    }

    /**
     * {@code openat(dirfd, name, flags | O_CLOEXEC, mode)}: a file inside an open directory.
     *
     * @return the fd, or minus the errno when the open failed
     */
    public static int tryOpenAt(int dirfd, byte[] nativeName, int flags, int mode) {
        int fd = LibC.openat(dirfd, nativeName, flags | O_CLOEXEC, mode);
        return fd >= 0 ? fd : -Native.getLastError();
    }

    /** {@code statx} of an open fd itself ({@code AT_EMPTY_PATH}). */
    public static FileStat stat(int fd, String shown, @Nullable String context) {
        byte[] buffer = new byte[FileStat.SIZE];
        if (LibC.statx(fd, EMPTY, AT_EMPTY_PATH, FileStat.MASK, buffer) != 0) {
            throw Errno.failure("statx", "fd=" + fd + " (" + shown + "), AT_EMPTY_PATH", Native.getLastError(), context);
        }
        return FileStat.parse(buffer);
    }

    private static @Nullable FileStat statOrNull(int fd) {
        byte[] buffer = new byte[FileStat.SIZE];
        return LibC.statx(fd, EMPTY, AT_EMPTY_PATH, FileStat.MASK, buffer) == 0 ? FileStat.parse(buffer) : null;
    }

    /** {@code statx(dirfd, name, AT_SYMLINK_NOFOLLOW)}, or null with the errno in {@code errno[0]}. */
    public static @Nullable FileStat statAtNoFollow(int dirfd, byte[] nativeName, int[] errno) {
        byte[] buffer = new byte[FileStat.SIZE];
        if (LibC.statx(dirfd, nativeName, AT_SYMLINK_NOFOLLOW, FileStat.MASK, buffer) != 0) {
            errno[0] = Native.getLastError();
            return null;
        }
        return FileStat.parse(buffer);
    }

    /** {@code unlinkat(dirfd, name, 0)}, returning errno instead of throwing (0 on success). */
    public static int tryUnlinkAt(int dirfd, byte[] nativeName) {
        return LibC.unlinkat(dirfd, nativeName, 0) == 0 ? 0 : Native.getLastError();
    }

    /**
     * Lazily detaches ({@code MNT_DETACH}) the mount whose root an fd refers to: exactly that
     * mount, found through the fd's {@code /proc/self/fd} link, not whatever a path leads to by now.
     *
     * @return 0, or the errno ({@code EINVAL}: the fd is not on a mount root of this mount namespace)
     */
    public static int tryDetachMountOf(int fd) {
        return LibC.umount2(PROC_SELF_FD + fd, MNT_DETACH) == 0 ? 0 : Native.getLastError();
    }

    /**
     * A detached copy of the one mount an fd is on, without the mounts below it
     * ({@code open_tree(fd, "", OPEN_TREE_CLONE|AT_EMPTY_PATH)}): in it, a name that has something
     * mounted on it shows the file underneath.
     *
     * @return the copy's fd, or minus the errno (ENOSYS where the kernel or C library has no
     *     {@code open_tree})
     */
    public static int tryCloneMount(int fd) {
        if (!LibC.MOUNT_API || !kernelMountApi) {
            return -Errno.ENOSYS;
        }
        int tree = MountApi.open_tree(fd, "", MountApi.OPEN_TREE_CLONE | O_CLOEXEC | AT_EMPTY_PATH);
        return tree >= 0 ? tree : -Native.getLastError();
    }

    /**
     * Bind-mounts the namespace {@code nsFd} refers to onto the very file {@code fileFd} refers to,
     * whatever holds its name by now: {@code open_tree(OPEN_TREE_CLONE)} + {@code move_mount} where
     * the kernel has them, else {@code mount(MS_BIND)} between the two fds' {@code /proc/self/fd}
     * links. When the file was unlinked meanwhile, it fails with ENOENT and mounts nothing.
     */
    public static void bindMountOnto(int nsFd, int fileFd, String shown, @Nullable String context) {
        if (LibC.MOUNT_API && kernelMountApi) {
            int tree = MountApi.open_tree(nsFd, "", MountApi.OPEN_TREE_CLONE | O_CLOEXEC | AT_EMPTY_PATH);
            if (tree < 0) {
                int errno = Native.getLastError();
                if (errno != Errno.ENOSYS) {
                    throw Errno.failure("open_tree", "fd=" + nsFd + ", OPEN_TREE_CLONE|AT_EMPTY_PATH", errno, context);
                }
                kernelMountApi = false; // a kernel before 5.2: mount through /proc/self/fd from now on
            } else {
                try {
                    if (MountApi.move_mount(tree, "", fileFd, "",
                            MountApi.MOVE_MOUNT_F_EMPTY_PATH | MountApi.MOVE_MOUNT_T_EMPTY_PATH) != 0) {
                        throw Errno.failure("move_mount", "fd=" + tree + ", fd=" + fileFd + " (" + shown + ")",
                                Native.getLastError(), context);
                    }
                    return;
                } finally {
                    closeQuietly(tree); // after a successful move the mount stays attached
                }
            }
        }
        if (LibC.mount(PROC_SELF_FD + nsFd, PROC_SELF_FD + fileFd, "none", MS_BIND, null) != 0) {
            throw Errno.failure("mount", PROC_SELF_FD + nsFd + ", " + PROC_SELF_FD + fileFd + " (" + shown + "), MS_BIND",
                    Native.getLastError(), context);
        }
    }

    /**
     * What {@code statmount(2)} (Linux 6.8) says of a mount: its parent, its filesystem and its
     * propagation.
     *
     * @param uniqueMountId the mount's unique id ({@link FileStat#uniqueMountId()})
     * @return what the kernel says, or null when it cannot say (ENOSYS, or the mount is gone)
     */
    public static @Nullable MountBasics mountBasics(long uniqueMountId) {
        ByteBuffer request = ByteBuffer.allocate(MNT_ID_REQ_SIZE_VER0).order(ByteOrder.nativeOrder());
        request.putInt(0, MNT_ID_REQ_SIZE_VER0).putLong(8, uniqueMountId).putLong(16, STATMOUNT_SB_BASIC | STATMOUNT_MNT_BASIC);
        byte[] reply = new byte[STATMOUNT_BUFFER];
        if (LibC.syscall(SYS_STATMOUNT, request.array(), reply, reply.length, 0) != 0) {
            return null;
        }
        ByteBuffer result = ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder());
        long mask = result.getLong(8);
        if ((mask & (STATMOUNT_SB_BASIC | STATMOUNT_MNT_BASIC)) != (STATMOUNT_SB_BASIC | STATMOUNT_MNT_BASIC)) {
            return null;
        }
        // struct statmount: sb_magic at 24, mnt_parent_id at 48, mnt_propagation at 72
        return new MountBasics(result.getLong(48), result.getLong(24), result.getLong(72));
    }

    /**
     * Opens the directory an fd (typically {@code O_PATH}) refers to again, for reading its entries
     * with {@link #readEntries}.
     *
     * @return the fd, or minus the errno (ENOSYS when {@code getdents64} has no number known here)
     */
    public static int openForEntries(int dirFd) {
        if (SYS_GETDENTS64 < 0) {
            return -Errno.ENOSYS;
        }
        int fd = LibC.openat(dirFd, DOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        return fd >= 0 ? fd : -Native.getLastError();
    }

    /**
     * The next entries of a directory opened by {@link #openForEntries} ({@code getdents64(2)}).
     *
     * @return how many bytes of {@code buffer} hold {@code struct linux_dirent64} records (0 at
     *     the end), or minus the errno when the read failed
     */
    public static int readEntries(int fd, byte[] buffer) {
        long read = LibC.syscall(SYS_GETDENTS64, fd, buffer, buffer.length);
        return read >= 0 ? (int) read : -Native.getLastError();
    }

    /**
     * The names in a directory as the bytes they are on disk (without {@code .} and {@code ..}),
     * read through an fd: nothing is decoded, so no name can make the listing fail.
     */
    public static java.util.List<byte[]> readDirectory(String dir, @Nullable String context) {
        Linux.require();
        int fd = LibC.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.failure("open", dir + ", O_DIRECTORY", Native.getLastError(), context);
        }
        com.sun.jna.Pointer stream = LibC.fdopendir(fd);
        if (stream == null) {
            int errno = Native.getLastError();
            closeQuietly(fd);
            throw Errno.failure("fdopendir", dir, errno, context);
        }
        java.util.List<byte[]> names = new java.util.ArrayList<>();
        try {
            while (true) {
                Native.setLastError(0);
                com.sun.jna.Pointer entry = LibC.readdir64(stream);
                if (entry == null) {
                    int errno = Native.getLastError();
                    if (errno != 0) {
                        throw Errno.failure("readdir64", dir, errno, context);
                    }
                    return names;
                }
                long length = entry.indexOf(DIRENT_NAME_OFFSET, (byte) 0); // counted from the offset
                byte[] name = entry.getByteArray(DIRENT_NAME_OFFSET, (int) length);
                if (!(name.length == 1 && name[0] == '.') && !(name.length == 2 && name[0] == '.' && name[1] == '.')) {
                    names.add(name);
                }
            }
        } finally {
            LibC.closedir(stream);
        }
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
     * Like {@link #idOfOrNull(byte[])}, but a symbolic link at the end of the path is stat'ed as
     * the link ({@code AT_SYMLINK_NOFOLLOW}), so it never has a namespace's id.
     */
    public static @Nullable NamespaceId idOfOrNullNoFollow(byte[] nativePath) {
        Linux.require();
        int[] statx = new int[64];
        return LibC.statx(AT_FDCWD, nativePath, AT_SYMLINK_NOFOLLOW, STATX_INO, statx) == 0 ? idFrom(statx) : null;
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

    /** {@code unshare(CLONE_FS)} on the calling thread: its own root, cwd and umask, as setns into a mount namespace needs. */
    public static void unshareFilesystem() {
        Linux.require();
        if (LibC.unshare(CLONE_FS) != 0) {
            throw Errno.failure("unshare", "CLONE_FS", Native.getLastError(), null);
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


    /**
     * Creates a directory and its missing parents, mode 0755 (less the umask), like
     * {@code mkdir -p}; an existing one is fine.
     */
    public static void mkdirs(Path dir, @Nullable String context) {
        Linux.require();
        Path parent = dir.getParent();
        if (parent != null && idOfOrNull(parent.toString()) == null) {
            mkdirs(parent, context);
        }
        if (LibC.mkdir(dir.toString(), 0755) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EEXIST) {
                throw Errno.failure("mkdir", dir.toString(), errno, context);
            }
        }
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

    /**
     * Opens a socket close-on-exec. A socket belongs to the network namespace of the thread that
     * creates it, whichever thread uses it later.
     *
     * @param arguments the arguments as the error message should name them
     */
    public static int socket(int domain, int type, int protocol, String arguments) {
        Linux.require();
        int fd = LibC.socket(domain, type | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw Errno.failure("socket", arguments, Native.getLastError(), null);
        }
        return fd;
    }

    /** {@code bind(fd, address, address.length)}. */
    public static void bind(int fd, byte[] address, String addressName) {
        if (LibC.bind(fd, address, address.length) != 0) {
            throw Errno.failure("bind", "fd=" + fd + ", " + addressName, Native.getLastError(), null);
        }
    }

    /** Sends the whole message as one datagram, retried on EINTR. */
    public static void send(int fd, byte[] message, String what) {
        long sent;
        while ((sent = LibC.send(fd, message, message.length, 0)) < 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw Errno.failure("send", "fd=" + fd + ", " + what, errno, null);
            }
        }
        if (sent != message.length) { // a datagram goes whole or not at all; this is a kernel surprise
            throw new NetnsException("send(fd=" + fd + ", " + what + ") sent " + sent + " of " + message.length + " bytes");
        }
    }

    /**
     * Receives one datagram into a direct buffer, from its start, retried on EINTR. Returns the
     * datagram's length, which is more than the buffer's capacity when it did not fit
     * ({@link #MSG_TRUNC} is always set); the buffer's position and limit are left alone.
     */
    public static int recv(int fd, ByteBuffer buffer, String what) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("recv needs a direct buffer");
        }
        long received;
        while ((received = LibC.recv(fd, buffer, buffer.capacity(), MSG_TRUNC)) < 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw Errno.failure("recv", "fd=" + fd + ", " + what, errno, null);
            }
        }
        return (int) Math.min(received, Integer.MAX_VALUE);
    }

    /**
     * The text form of an IPv4 (4 bytes) or IPv6 (16 bytes) address from the C library's
     * {@code inet_ntop}, the function {@code ip} prints addresses with: IPv6 compressed and
     * lowercase, with the C library's own choices for IPv4-embedded forms.
     */
    public static String inetNtop(int family, byte[] address) {
        int expected = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
        if (address.length != expected) {
            throw new IllegalArgumentException("an address of family " + family + " has " + expected
                    + " bytes, not " + address.length);
        }
        byte[] text = new byte[INET6_ADDRSTRLEN];
        if (LibC.inet_ntop(family, address, text, text.length) == null) {
            throw Errno.failure("inet_ntop", family == AF_INET ? "AF_INET" : "AF_INET6", Native.getLastError(), null);
        }
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.US_ASCII);
    }

    /**
     * A pidfd of a thread of this process ({@code pidfd_open(tid, PIDFD_THREAD)}, close-on-exec).
     *
     * @return the fd, or minus the errno (ENOSYS, or EINVAL before Linux 6.9)
     */
    public static int tryThreadPidfd(int tid) {
        return tryPidfdOpen(tid, PIDFD_THREAD);
    }

    /**
     * {@code pidfd_open(pid, flags)}, close-on-exec.
     *
     * @return the fd, or minus the errno (ENOSYS before Linux 5.3)
     */
    public static int tryPidfdOpen(int pid, int flags) {
        long fd = LibC.syscall(SYS_PIDFD_OPEN, pid, flags);
        return fd >= 0 ? (int) fd : -Native.getLastError();
    }

    /**
     * The network namespace the thread a pidfd refers to is in now, opened read-only and
     * close-on-exec by the kernel ({@code PIDFD_GET_NET_NAMESPACE}): no path is looked up, so
     * nothing but that namespace can be opened.
     *
     * @return the fd, or minus the errno (ENOTTY before Linux 6.11, ESRCH when the thread is gone)
     */
    public static int tryNetNamespaceOf(int pidfd) {
        int fd = LibC.ioctl(pidfd, PIDFD_GET_NET_NAMESPACE, 0L);
        return fd >= 0 ? fd : -Native.getLastError();
    }

    /** The calling OS thread's id. */
    public static int gettid() {
        Linux.require();
        return LibC.gettid();
    }
}
