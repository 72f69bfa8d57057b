package dev.netns.internal;

import dev.netns.NamespaceId;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * What a run dir holds under its names' mounts, seen through one copy of the run dir's mount
 * ({@code open_tree(OPEN_TREE_CLONE)} without {@code AT_RECURSIVE}) made once and held: the copy
 * shares the run dir's files, including those created after it was made, but none of the mounts
 * on them, so a {@code statx} of a name in it shows the file under that name's mount. One syscall,
 * whatever the number of names, where reading the listing ({@link DirectoryEntries}) costs more
 * the more names there are (on ext4, the whole hashed directory is read on every open), and a
 * fresh copy per call costs an RCU grace period when it is closed.
 *
 * <p>The copy is valid while the run dir is the directory it was made of (same device and inode,
 * whichever mount it is reached through); a run dir replaced by another directory or filesystem
 * gets a new copy. Where no copy can be had (no {@code open_tree}, no privilege) or the copy shows
 * a mount on the name after all (a kernel that propagates mounts into detached copies), it answers
 * null and the caller reads the listing instead. Held for the life of its {@link NamedNamespaces}:
 * one fd per run dir in use, closed with the runtime; a lookup after the close (a delete that raced
 * it) makes a copy of its own and closes it again. Thread-safe: the copy is never closed while a
 * lookup uses it.
 */
final class RunDirUnderside implements AutoCloseable {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private int copy = -1; // guarded by lock
    private @Nullable NamespaceId copied; // the directory the copy is of, guarded by lock
    private @Nullable NamespaceId uncopyable; // the directory a copy could not be made of, guarded by lock
    private boolean closed; // guarded by lock

    /**
     * The file the run dir holds under a name, whatever is mounted on it, or null where the copy
     * cannot say (none can be made, the name is not there, or the copy shows a mount there too).
     *
     * @param errno set to the errno of {@code open_tree} when a copy was needed and none could be made
     */
    @Nullable FileStat fileUnder(NamespaceId runDir, int runDirFd, byte[] nativeName, int[] errno) {
        lock.readLock().lock();
        try {
            if (runDir.equals(copied)) {
                return statIn(copy, nativeName);
            }
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                return runDir.equals(uncopyable) ? null : onceOff(runDir, runDirFd, nativeName, errno);
            }
            if (!runDir.equals(copied) && !runDir.equals(uncopyable)) {
                copyOf(runDir, runDirFd, errno);
            }
            return runDir.equals(copied) ? statIn(copy, nativeName) : null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** What a copy made for this one lookup shows, for a delete that raced the close; the copy is closed again. */
    private static @Nullable FileStat onceOff(NamespaceId runDir, int runDirFd, byte[] nativeName, int[] errno) {
        int made = cloneOf(runDir, runDirFd, errno);
        if (made < 0) {
            return null;
        }
        try {
            return statIn(made, nativeName);
        } finally {
            Syscalls.closeQuietly(made);
        }
    }

    /** Whether a copy is held now, for tests. */
    boolean holdsCopy() {
        lock.readLock().lock();
        try {
            return copy >= 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void copyOf(NamespaceId runDir, int runDirFd, int[] errno) {
        dropCopy();
        int made = cloneOf(runDir, runDirFd, errno);
        if (made >= 0) {
            copy = made;
            copied = runDir;
        } else if (errno[0] != 0 && !Errno.isOutOfResources(errno[0])) {
            uncopyable = runDir; // no open_tree, no privilege: not tried again for this run dir
        }
    }

    /**
     * A copy of the mount of the run dir {@code runDirFd} is open on, checked to be of the
     * directory {@code runDir} still; -1 when none, with {@code errno} set where {@code open_tree}
     * failed (left alone where the run dir changed between its open and the copy).
     */
    private static int cloneOf(NamespaceId runDir, int runDirFd, int[] errno) {
        int made = Syscalls.tryCloneMount(runDirFd);
        if (made < 0) {
            errno[0] = -made;
            return -1;
        }
        FileStat root = statOrNull(made);
        if (root == null || !root.id().equals(runDir)) {
            Syscalls.closeQuietly(made);
            return -1;
        }
        return made;
    }

    private static @Nullable FileStat statOrNull(int fd) {
        try {
            return Syscalls.stat(fd, "copy of the run dir", null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static @Nullable FileStat statIn(int copy, byte[] nativeName) {
        FileStat under = Syscalls.statAtNoFollow(copy, nativeName, new int[1]);
        return under == null || under.mountRoot() ? null : under;
    }

    private void dropCopy() {
        if (copy >= 0) {
            Syscalls.closeQuietly(copy);
        }
        copy = -1;
        copied = null;
    }

    /** Closes the copy; later lookups each make one of their own and close it again. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            dropCopy();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
