package dev.netns.internal;

import dev.netns.NamespaceId;
import dev.netns.NetnsException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * An open run dir: every operation on its entries goes through this fd ({@code openat},
 * {@code unlinkat}, {@code statx} with {@code AT_SYMLINK_NOFOLLOW}, {@code O_NOFOLLOW}), so a name
 * is looked up once, in this directory only (a name holds no {@code /}), and a symbolic link in it
 * is seen as the link it is, never followed.
 */
final class RunDirectory implements AutoCloseable {

    /** What a run-dir entry is. */
    enum Kind {
        /** An nsfs file mounted on the entry: a named namespace. */
        NAMESPACE,
        /** A regular file of the run dir itself, nothing mounted on it: stale, or being created. */
        PLAIN_FILE,
        /** A symbolic link: never followed, never removed. */
        SYMLINK,
        /** Anything else (a directory, FIFO, device, socket, another filesystem mounted there). */
        OTHER
    }

    /**
     * An entry, open {@code O_PATH|O_NOFOLLOW} (which opens nothing), with what it is.
     *
     * @param fd the {@code O_PATH} fd, on the entry's topmost mount when something is mounted there
     * @param filesystem the magic of the filesystem mounted on the entry (0 when nothing is)
     * @param mount what {@code statmount} says of that mount, where the kernel says
     */
    record Entry(int fd, FileStat stat, long filesystem, @Nullable MountBasics mount, Kind kind) implements AutoCloseable {

        @Override
        public void close() {
            Syscalls.closeQuietly(fd);
        }

        /** What the entry is, for messages. */
        String description() {
            switch (kind) {
                case NAMESPACE:
                    return "a namespace";
                case PLAIN_FILE:
                    return "a regular file with no namespace mounted on it (stale, or being created right now)";
                case SYMLINK:
                    return "a symbolic link (links in the run dir are never followed)";
                default:
                    return (stat.mountRoot() ? "a mount of a filesystem with magic 0x" + Long.toHexString(filesystem)
                            + " on " : "") + stat.typeName();
            }
        }
    }

    /**
     * How many mounts below a name's top mount are checked: a tool that mounts by path in a loop
     * can pile up thousands, which delete must still be able to remove.
     */
    private static final int MAX_STACKED = 64;

    private final Path path;
    private final int fd;
    private final FileStat stat;

    private RunDirectory(Path path, int fd, FileStat stat) {
        this.path = path;
        this.fd = fd;
        this.stat = stat;
    }

    /**
     * Opens a run dir ({@code O_PATH|O_DIRECTORY}), or returns null with {@code errno[0]} set when
     * it cannot be opened (ENOENT: it does not exist).
     */
    static @Nullable RunDirectory open(Path path, int[] errno) {
        Linux.require();
        int fd = Syscalls.tryOpenAt(-100 /* AT_FDCWD */, nativeBytes(path.toString()), Syscalls.O_PATH | Syscalls.O_DIRECTORY, 0);
        if (fd < 0) {
            errno[0] = -fd;
            return null;
        }
        try {
            return new RunDirectory(path, fd, Syscalls.stat(fd, path.toString(), null));
        } catch (RuntimeException | Error e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    /** A path or name as the C library gets it: its bytes in the file name encoding, NUL-terminated. */
    static byte[] nativeBytes(String text) {
        byte[] bytes = text.getBytes(NameCodec.charset());
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return terminated;
    }

    static byte[] terminated(byte[] name) {
        byte[] terminated = new byte[name.length + 1];
        System.arraycopy(name, 0, terminated, 0, name.length);
        return terminated;
    }

    int fd() {
        return fd;
    }

    Path path() {
        return path;
    }

    /** What {@code statx} said of the run dir when it was opened. */
    FileStat stat() {
        return stat;
    }

    /**
     * Whether this fd is the root of a shared mount, the state {@link SharedRunDir} leaves a run dir
     * in: {@code statx} of the fd says it is a mount's root, {@code statmount} (Linux 6.8) that the
     * mount is shared. False where the kernel cannot tell.
     */
    boolean isSharedMountPoint() {
        if (!stat.mountRoot() || !stat.uniqueMountId()) {
            return false;
        }
        MountBasics mount = Syscalls.mountBasics(stat.mountId());
        return mount != null && mount.shared();
    }

    /** Whether the name holds anything (a {@code statx} of it, not following a link, succeeds). */
    boolean holds(byte[] nativeName) {
        return Syscalls.statAtNoFollow(fd, nativeName, new int[1]) != null;
    }

    /** The entry of a name, or null with {@code errno[0]} set (ENOENT: no such name). */
    @Nullable Entry lookup(byte[] nativeName, String shown, int[] errno) {
        int entryFd = Syscalls.tryOpenAt(fd, nativeName, Syscalls.O_PATH | Syscalls.O_NOFOLLOW, 0);
        if (entryFd < 0) {
            errno[0] = -entryFd;
            return null;
        }
        try {
            FileStat entryStat = Syscalls.stat(entryFd, shown, null);
            MountBasics mount = null;
            long filesystem = 0; // a file of the run dir itself: only a mount on the name can be a namespace
            if (entryStat.mountRoot()) {
                mount = entryStat.uniqueMountId() ? Syscalls.mountBasics(entryStat.mountId()) : null;
                filesystem = mount != null ? mount.magic() : Syscalls.filesystemType(entryFd, shown, null);
            }
            return new Entry(entryFd, entryStat, filesystem, mount, kindOf(entryStat, filesystem));
        } catch (RuntimeException | Error e) {
            Syscalls.closeQuietly(entryFd);
            throw e;
        }
    }

    private Kind kindOf(FileStat entry, long filesystem) {
        if (entry.isSymlink()) {
            return Kind.SYMLINK;
        }
        if (filesystem == Syscalls.NSFS_MAGIC && entry.mountRoot()) {
            return Kind.NAMESPACE;
        }
        if (entry.isRegularFile() && !entry.mountRoot() && entry.mountId() == stat.mountId()) {
            return Kind.PLAIN_FILE;
        }
        return Kind.OTHER;
    }

    /**
     * The file a name's mount is mounted on: as the held copy of the run dir's mount shows it
     * ({@link RunDirUnderside}), else as the run dir's listing shows it ({@link DirectoryEntries});
     * null where neither can say.
     *
     * @throws NetnsException (EMFILE, ENFILE, ENOMEM) when neither says only because fds or memory
     *     ran out for the copy or the listing: the kernel could tell, so the name must not be taken
     *     as it looks
     */
    @Nullable FileStat underneath(byte[] nativeName, RunDirUnderside underside, String shown, @Nullable String context) {
        int[] copyErrno = new int[1];
        FileStat held = underside.fileUnder(stat.id(), fd, nativeName, copyErrno);
        if (held != null) {
            return held;
        }
        int[] listingErrno = new int[1];
        FileStat listed = DirectoryEntries.fileUnder(fd, stat, nativeName, listingErrno);
        if (listed == null && Errno.isOutOfResources(copyErrno[0])) {
            throw Errno.failure("open_tree", path + ", OPEN_TREE_CLONE (to see the file under " + shown + ")", copyErrno[0],
                    context);
        }
        if (listed == null && Errno.isOutOfResources(listingErrno[0])) {
            throw Errno.failure("getdents64", path + " (to see the file under " + shown + ")", listingErrno[0], context);
        }
        return listed;
    }

    /**
     * Whether a {@link Kind#NAMESPACE} entry is a namespace mounted on a regular file of this run
     * dir, directly or over other namespace mounts stacked there (concurrent creates): never on a
     * FIFO, device or socket, nor over another filesystem's mount. The file underneath is seen in
     * a copy of the run dir's mount or its listing ({@link #underneath}); the mounts in between with
     * {@code statmount} (Linux 6.8), up to {@link #MAX_STACKED} of them. Where the kernel cannot
     * tell, or the pile is deeper, the entry is taken as it looks.
     *
     * @param under the file under the entry's mounts, from {@link #underneath}, or null if unknown
     */
    boolean isMountedOnOwnFile(Entry entry, @Nullable FileStat under) {
        if (under != null && !under.isRegularFile()) {
            return false;
        }
        if (!entry.stat().uniqueMountId() || !stat.uniqueMountId()) {
            return true;
        }
        long mount = entry.stat().mountId();
        for (int depth = 0; depth < MAX_STACKED; depth++) {
            MountBasics basics = depth == 0 && entry.mount() != null ? entry.mount() : Syscalls.mountBasics(mount);
            if (basics == null) {
                return true; // the kernel cannot say, or the mount is gone: the detach will tell
            }
            if (basics.magic() != Syscalls.NSFS_MAGIC) {
                return false;
            }
            if (basics.parentId() == stat.mountId()) {
                return true;
            }
            mount = basics.parentId();
        }
        return true; // deeper than any pile worth walking: taken as it looks, as where the kernel cannot say
    }

    /**
     * Creates a name's file {@code O_RDONLY|O_CREAT|O_EXCL|O_NOFOLLOW}, mode 0 as iproute2 does.
     *
     * @return the fd, or minus the errno (EEXIST: the name is taken)
     */
    int tryCreate(byte[] nativeName) {
        return Syscalls.tryOpenAt(fd, nativeName, Syscalls.O_RDONLY | Syscalls.O_CREAT | Syscalls.O_EXCL | Syscalls.O_NOFOLLOW, 0);
    }

    /**
     * Removes a name if it still is the plain file {@code expected} (same device and inode, nothing
     * mounted on it): never whatever holds the name by then. The check and the {@code unlinkat}
     * are two syscalls: POSIX has no unlink-if-same, so a name replaced in between is the one race
     * left, and only someone who removed this file first can open it.
     *
     * @return 0, the errno of the {@code unlinkat} (ENOENT, EBUSY...), or -1 when the name now
     *     holds something else
     */
    int unlinkIfSame(byte[] nativeName, NamespaceId expected) {
        int[] errno = new int[1];
        FileStat now = Syscalls.statAtNoFollow(fd, nativeName, errno);
        if (now == null) {
            return errno[0];
        }
        if (!now.id().equals(expected) || now.mountRoot() || !now.isRegularFile()) {
            return -1;
        }
        return Syscalls.tryUnlinkAt(fd, nativeName);
    }

    @Override
    public void close() {
        Syscalls.closeQuietly(fd);
    }
}
