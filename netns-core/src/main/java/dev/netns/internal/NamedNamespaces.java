package dev.netns.internal;

import dev.netns.NamespaceExistsException;
import dev.netns.NamespaceId;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NetnsException;
import dev.netns.NotANamespaceException;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Named network namespaces exactly as iproute2 keeps them: a file per name in the run dir
 * ({@code /run/netns}, read with a {@code /var/run/netns} fallback), each a bind mount of a
 * namespace, the run dir itself a shared mount so the names propagate to other mount namespaces.
 *
 * <p>The invariants, which every method keeps: a name is looked up only through the run dir's fd,
 * one component, never following a link; a mount is made only onto a file this JVM created
 * {@code O_EXCL} and still holds open; only an nsfs mount is ever detached, and only the one that
 * was checked; only a regular file with nothing mounted on it is ever unlinked, and a young one
 * only after its creator's grace. (Longer than this project's usual classes: create and delete
 * are kept side by side so these invariants can be read in one place.)
 */
public final class NamedNamespaces {

    /** The run dir of iproute2 and of this library unless configured otherwise. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/run/netns");
    /** Where older iproute2 builds keep their names; read as a fallback of the default. */
    public static final Path LEGACY_RUN_DIR = Path.of("/var/run/netns");

    private static final int CREATE_ATTEMPTS = 3;
    private static final int MAX_CHANGES = 16;
    private static final long CREATION_GRACE_NANOS = 1_000_000_000L;

    private final Path runDir;
    private final RunDirUnderside underside = new RunDirUnderside();
    private Cleaner.@Nullable Cleanable undersideRelease; // registered with the first delete, guarded by underside

    /**
     * The named namespaces of a run dir; one per runtime ({@code dev.netns.NetnsRuntime}).
     *
     * @throws IllegalArgumentException when the run dir is not an absolute path
     */
    public NamedNamespaces(Path runDir) {
        this.runDir = checkRunDir(runDir);
    }

    private static Path checkRunDir(Path dir) {
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException("netns run dir must be an absolute path, got '" + dir + "'");
        }
        return dir.normalize();
    }

    public Path runDir() {
        return runDir;
    }

    /**
     * Releases what is held for this run dir (the copy of its mount that delete looks under names
     * with; released too when this object is garbage-collected unclosed); the names themselves stay.
     * Operations still running or started later work, slower.
     */
    public void close() {
        underside.close();
    }

    /**
     * The held copy, closed by a Cleaner if this object is dropped unclosed (registered on first
     * use, so that a runtime that deletes nothing starts no Cleaner thread).
     */
    private RunDirUnderside underside() {
        synchronized (underside) {
            if (undersideRelease == null) {
                undersideRelease = HandleRegistry.cleaner().register(this, underside::close);
            }
        }
        return underside;
    }

    /**
     * Checks a name by iproute2's rules ({@link NameCodec#encode}): not empty, at most NAME_MAX
     * bytes, no {@code /}, no NUL, not {@code .} or {@code ..}, and encodable.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static void validateName(@Nullable String name) {
        NameCodec.encode(name);
    }

    /**
     * Opens a named namespace read-only: the name is looked up in the run dir (then the legacy
     * fallback) through the directory's fd with {@code O_PATH|O_NOFOLLOW}, proven an nsfs mount,
     * and only then opened for reading.
     *
     * @return the fd, which the caller owns
     * @throws NamespaceNotFoundException (ENOENT) when no such name exists
     * @throws NotANamespaceException when the name holds something else (a symbolic link, a stale file...)
     */
    public int open(String name) {
        byte[] nativeName = RunDirectory.terminated(NameCodec.encode(name));
        Linux.require();
        String context = "Named namespace " + NameCodec.quote(name);
        int[] errno = {Errno.ENOENT};
        for (Path dir : readDirs()) {
            try (RunDirectory runDirectory = RunDirectory.open(dir, errno)) {
                if (runDirectory == null) {
                    if (errno[0] == Errno.ENOENT || errno[0] == Errno.ENOTDIR) {
                        continue; // no run dir: no names in it
                    }
                    throw Errno.failure("open", dir + ", O_PATH|O_DIRECTORY", errno[0], context);
                }
                String shown = dir.resolve(name).toString();
                try (RunDirectory.Entry entry = runDirectory.lookup(nativeName, shown, errno)) {
                    if (entry == null) {
                        if (errno[0] == Errno.ENOENT) {
                            continue;
                        }
                        throw Errno.failure("openat", shown + ", O_PATH|O_NOFOLLOW", errno[0], context);
                    }
                    if (entry.kind() != RunDirectory.Kind.NAMESPACE) {
                        throw notANamespace(shown, entry, context);
                    }
                    return Syscalls.reopen(entry.fd(), Syscalls.O_RDONLY, shown, context);
                }
            }
        }
        throw Errno.notFound(context + " does not exist in " + runDir
                + (readDirs().size() > 1 ? " or " + LEGACY_RUN_DIR : ""), errno[0] != 0 ? errno[0] : Errno.ENOENT);
    }

    private static NotANamespaceException notANamespace(String shown, RunDirectory.Entry entry, String context) {
        return Errno.notANamespace(shown + " is not a namespace file: it is " + entry.description() + "; it was left untouched",
                entry.kind() == RunDirectory.Kind.SYMLINK ? Errno.ELOOP : Errno.EINVAL, context);
    }

    /**
     * The namespace a name holds, by {@code statx} through the run dir's fd without following a
     * link, or null when it holds no namespace (or does not exist).
     */
    public @Nullable NamespaceId idOf(String name) {
        byte[] nativeName = RunDirectory.terminated(NameCodec.encode(name));
        int[] errno = new int[1];
        for (Path dir : readDirs()) {
            try (RunDirectory runDirectory = RunDirectory.open(dir, errno)) {
                if (runDirectory == null) {
                    continue;
                }
                try (RunDirectory.Entry entry = runDirectory.lookup(nativeName, name, errno)) {
                    if (entry != null) {
                        return entry.kind() == RunDirectory.Kind.NAMESPACE ? entry.stat().id() : null;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The names in the run dir (and the legacy fallback), sorted, each decoded by
     * {@link NameCodec#decode}: a name that is not valid in the file name encoding lists with
     * {@code \xNN} escapes and opens under that form. One odd entry never fails the listing.
     */
    public List<String> list() {
        Linux.require();
        TreeSet<String> names = new TreeSet<>();
        for (Path dir : readDirs()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (byte[] name : Syscalls.readDirectory(dir.toString(), "Cannot list named namespaces")) {
                names.add(NameCodec.decode(name));
            }
        }
        return new ArrayList<>(names);
    }

    /** The configured run dir, plus the legacy one when the default is used and it is a different directory. */
    private List<Path> readDirs() {
        Path dir = runDir;
        if (dir.equals(DEFAULT_RUN_DIR) && Files.isDirectory(LEGACY_RUN_DIR) && !sameFile(dir, LEGACY_RUN_DIR)) {
            return List.of(dir, LEGACY_RUN_DIR);
        }
        return List.of(dir);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates a named namespace as {@code ip netns add} does, without its races, and returns an fd
     * on the new namespace (the caller owns it). The run dir is made a shared mount point first,
     * unless it already is one ({@link SharedRunDir}). The name's file is created {@code O_EXCL} through
     * the run dir's fd; the namespace comes from the {@link NamespaceCreator} (the calling thread
     * is not moved), asked for before the file is made when the name looks free, so that the two
     * overlap (a name found taken after all gets its namespace closed before this throws); it is
     * bind-mounted onto that very file through its still-open fd, never by
     * path, so it can land on no other file and never on top of another mount. If the file was
     * removed before the mount (by a concurrent {@code ip netns del}), the mount fails with ENOENT
     * and the create starts over with a new file. On failure only the file this call created (same
     * device and inode) is removed, and the original error is thrown.
     *
     * @throws NamespaceExistsException (EEXIST) when the name is taken
     */
    public int create(String name) {
        Path dir = runDir;
        byte[] nativeName = RunDirectory.terminated(NameCodec.encode(name));
        String context = "Cannot create named namespace " + NameCodec.quote(name);
        Linux.require();
        String shown = dir.resolve(name).toString();
        NamespaceCreator.Pending early = null;
        try {
            try (RunDirectory shared = SharedRunDir.openIfShared(dir)) {
                if (shared != null) {
                    if (!shared.holds(nativeName)) { // the name is free: its namespace is made while its file is
                        early = NamespaceCreator.instance().request();
                    }
                    int namespace = createIn(shared, nativeName, shown, context, early);
                    if (namespace >= 0) {
                        return namespace;
                    }
                    // The file could not be made: prepare and try again, so that the failure is the one a
                    // create that prepares first reports (an unprivileged caller's EPERM from mount, say).
                }
            }
            try (RunDirectory prepared = SharedRunDir.prepareAndOpen(dir, context)) {
                int namespace = createIn(prepared, nativeName, shown, context, early);
                if (namespace < 0) {
                    throw Errno.failure("openat", shown + ", O_CREAT|O_EXCL|O_NOFOLLOW", -namespace, context);
                }
                return namespace;
            }
        } finally {
            if (early != null) {
                early.discard(); // unless taken: the name was taken, or the create failed before it needed it
            }
        }
    }

    /**
     * The create itself, in an open run dir.
     *
     * @param early the namespace asked for ahead, or null to ask for it once the file is made
     * @return the new namespace's fd, or minus the errno when the name's file could not be created
     */
    private static int createIn(RunDirectory runDirectory, byte[] nativeName, String shown, String context,
            NamespaceCreator.@Nullable Pending early) {
        int namespace = -1;
        boolean created = false;
        try {
            for (int attempt = 1; ; attempt++) {
                int file = runDirectory.tryCreate(nativeName);
                if (file < 0) {
                    return file;
                }
                NamespaceId fileId = null;
                try {
                    fileId = Syscalls.stat(file, shown, context).id();
                    if (namespace < 0) {
                        namespace = early != null && !early.taken() ? early.await()
                                : NamespaceCreator.instance().newNetworkNamespace();
                    }
                    requireStillOurs(runDirectory, nativeName, fileId, shown, context);
                    Syscalls.bindMountOnto(namespace, file, shown, context);
                    created = true;
                    return namespace;
                } catch (NetnsException e) {
                    removeIfCreated(runDirectory, nativeName, fileId, e);
                    if (e.errno() != Errno.ENOENT || attempt >= CREATE_ATTEMPTS) {
                        throw e;
                    }
                } catch (RuntimeException | Error e) {
                    removeIfCreated(runDirectory, nativeName, fileId, e);
                    throw e;
                } finally {
                    Syscalls.closeQuietly(file);
                }
            }
        } finally {
            if (!created && namespace >= 0) {
                Syscalls.closeQuietly(namespace);
            }
        }
    }

    /**
     * Checks, right before the mount, that the name still holds the file this create made with
     * nothing mounted on it: a tool that mounts by path ({@code ip netns add}) whose own file was
     * removed meanwhile may have mounted onto this one, and a second mount must never land there.
     *
     * @throws NamespaceExistsException (EEXIST) when the name holds another namespace by now
     */
    private static void requireStillOurs(RunDirectory runDirectory, byte[] nativeName, NamespaceId fileId, String shown,
            String context) {
        int[] errno = new int[1];
        FileStat now = Syscalls.statAtNoFollow(runDirectory.fd(), nativeName, errno);
        if (now != null && (now.mountRoot() || !now.id().equals(fileId))) {
            throw Errno.failure("openat", shown + ", O_CREAT|O_EXCL", Errno.EEXIST,
                    context + " (another creator took the name while this one was being made)");
        }
    }

    /** Removes the file a failed create made, if the name still holds it; a failure is added to {@code failure}. */
    private static void removeIfCreated(RunDirectory runDirectory, byte[] nativeName, @Nullable NamespaceId fileId,
            Throwable failure) {
        if (fileId == null) {
            return;
        }
        try {
            int errno = runDirectory.unlinkIfSame(nativeName, fileId);
            if (errno > 0 && errno != Errno.ENOENT) {
                failure.addSuppressed(Errno.failure("unlinkat", runDirectory.path() + "/...", errno,
                        "Cannot remove the file of the failed create"));
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Deletes a named namespace as {@code ip netns delete} does (lazy detach, then unlink), through
     * the run dir's fd: only an nsfs mount on the name is detached (exactly the mount that was
     * checked, through its {@code O_PATH} fd), and only a regular file of the run dir is unlinked.
     * A symbolic link, directory, FIFO, device or a mount of another filesystem is refused and left
     * untouched. A stale file with nothing mounted on it is removed; one younger than a second may
     * be another creator's that is about to be mounted, so it is given that second first. Mounts
     * that arrive while it runs (a concurrent create of the same name) are detached too, as a
     * repeated {@code ip netns delete} would.
     *
     * @return the namespaces whose mounts were removed: normally one, none for a stale file
     * @throws NamespaceNotFoundException (ENOENT) when the name does not exist, or was deleted by
     *     someone else meanwhile
     * @throws NotANamespaceException when the name holds something that is not a named namespace
     */
    public List<NamespaceId> delete(String name) {
        Path dir = runDir;
        byte[] nativeName = RunDirectory.terminated(NameCodec.encode(name));
        Linux.require();
        String context = "Cannot delete named namespace " + NameCodec.quote(name);
        String shown = dir.resolve(name).toString();
        int[] errno = new int[1];
        try (RunDirectory runDirectory = RunDirectory.open(dir, errno)) {
            if (runDirectory == null) {
                throw Errno.notFound("Named namespace " + NameCodec.quote(name) + " does not exist in " + dir
                        + " (open: " + Errno.name(errno[0]) + ")", errno[0]);
            }
            List<NamespaceId> removed = new ArrayList<>();
            FileStat detachedFrom = null; // the file under the mount detached last, when it could be seen
            long graceEnd = System.nanoTime() + CREATION_GRACE_NANOS;
            for (int changes = 0; changes < MAX_CHANGES; ) {
                try (RunDirectory.Entry entry = runDirectory.lookup(nativeName, shown, errno)) {
                    if (entry == null) {
                        if (errno[0] == Errno.ENOENT && !removed.isEmpty()) {
                            return removed; // someone else removed the file after our detach
                        }
                        throw goneOrFailed(name, dir, errno[0], context, shown);
                    }
                    switch (entry.kind()) {
                        case NAMESPACE: {
                            FileStat under = runDirectory.underneath(nativeName, underside(), shown, context);
                            if (!runDirectory.isMountedOnOwnFile(entry, under)) {
                                throw Errno.notANamespace(shown + " is a namespace mounted on something other than a"
                                        + " regular file of the run dir (a FIFO, device, or another filesystem's mount);"
                                        + " it was left untouched", Errno.EINVAL, context);
                            }
                            if (!removed.isEmpty() && isNewFile(under, detachedFrom)) {
                                return removed; // the name was deleted and created again meanwhile: not ours to delete
                            }
                            int detached = Syscalls.tryDetachMountOf(entry.fd());
                            if (detached == 0) {
                                removed.add(entry.stat().id());
                                detachedFrom = under;
                            } else if (detached != Errno.EINVAL) { // EINVAL: detached by someone else just now
                                throw Errno.failure("umount2", shown + ", MNT_DETACH", detached, context);
                            }
                            changes++;
                            if (detached == 0 && under != null) {
                                // The file under the mount is known: unlink it if the name still holds it bare,
                                // without looking the name up again (as the plain-file case below would).
                                int unlinked = runDirectory.unlinkIfSame(nativeName, under.id());
                                if (unlinked == 0 || unlinked == Errno.ENOENT) {
                                    return removed; // ENOENT: someone else removed the file after our detach
                                }
                                if (unlinked != Errno.EBUSY && unlinked != -1) { // EBUSY, -1: mounted or replaced meanwhile
                                    throw Errno.failure("unlinkat", shown, unlinked, context);
                                }
                            }
                            break;
                        }
                        case PLAIN_FILE: {
                            boolean detachedHere = detachedFrom != null && detachedFrom.id().equals(entry.stat().id());
                            if (!removed.isEmpty() && isNewFile(entry.stat(), detachedFrom)) {
                                return removed; // someone else's create, started after our detach: leave it
                            }
                            if (!detachedHere && isYoung(entry.stat()) && System.nanoTime() < graceEnd) {
                                LockSupport.parkNanos(2_000_000L); // another creator's, about to be mounted?
                                break;
                            }
                            int unlinked = runDirectory.unlinkIfSame(nativeName, entry.stat().id());
                            if (unlinked == 0) {
                                return removed;
                            }
                            if (unlinked == Errno.ENOENT) {
                                if (!removed.isEmpty()) {
                                    return removed;
                                }
                                throw goneOrFailed(name, dir, unlinked, context, shown);
                            }
                            if (unlinked != Errno.EBUSY && unlinked != -1) { // EBUSY, -1: mounted or replaced meanwhile
                                throw Errno.failure("unlinkat", shown, unlinked, context);
                            }
                            changes++;
                            break;
                        }
                        default:
                            throw notANamespace(shown, entry, context);
                    }
                }
            }
            throw Errno.failure("unlinkat", shown, Errno.EBUSY, context + " (the name kept getting new mounts)");
        }
    }

    /** Whether a file is known to be another than the one a detached mount was on. */
    private static boolean isNewFile(@Nullable FileStat file, @Nullable FileStat detachedFrom) {
        return file != null && detachedFrom != null && !file.id().equals(detachedFrom.id());
    }

    private static NetnsException goneOrFailed(String name, Path dir, int errno, String context, String shown) {
        if (errno == Errno.ENOENT) {
            return Errno.notFound("Named namespace " + NameCodec.quote(name) + " does not exist in " + dir
                    + " (or was deleted by someone else meanwhile)", errno);
        }
        return Errno.failure("openat", shown + ", O_PATH|O_NOFOLLOW", errno, context);
    }

    /** Whether a file is younger than the grace a concurrent creator gets between its create and its mount. */
    private static boolean isYoung(FileStat stat) {
        long ageNanos = System.currentTimeMillis() * 1_000_000L - stat.changedNanos();
        return ageNanos < CREATION_GRACE_NANOS;
    }
}
