package dev.netns.internal;

import dev.netns.NamespaceNotFoundException;
import dev.netns.NetnsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Named network namespaces exactly as iproute2 keeps them: a file per name in the run dir
 * ({@code /run/netns}, read with a {@code /var/run/netns} fallback), each a bind mount of a
 * namespace, the run dir itself a shared mount so the names propagate to other mount namespaces.
 */
public final class NamedNamespaces {

    /** The run dir of iproute2 and of this library unless configured otherwise. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/run/netns");
    /** Where older iproute2 builds keep their names; read as a fallback of the default. */
    public static final Path LEGACY_RUN_DIR = Path.of("/var/run/netns");

    private static final int NAME_MAX = 255;
    private static final int UNLINK_BUSY_RETRIES = 50;

    private static final NamedNamespaces INSTANCE = new NamedNamespaces();

    private volatile Path runDir = initialRunDir();

    private NamedNamespaces() {
    }

    public static NamedNamespaces instance() {
        return INSTANCE;
    }

    private static Path initialRunDir() {
        String configured = System.getProperty("netns.run-dir");
        return configured == null || configured.isBlank() ? DEFAULT_RUN_DIR : checkRunDir(Path.of(configured));
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

    public void setRunDir(Path dir) {
        this.runDir = checkRunDir(dir);
    }

    /**
     * Checks a name by iproute2's rules: not empty, at most NAME_MAX bytes, no {@code /}, no NUL,
     * not {@code .} or {@code ..}; and, being a Java string, no unpaired surrogate, which no file
     * name can hold.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static void validateName(@Nullable String name) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid namespace name " + quote(name) + ": " + problem
                    + " (a name is 1 to " + NAME_MAX + " bytes, without '/' or NUL, and not '.' or '..')");
        }
    }

    private static @Nullable String nameProblem(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.indexOf('/') >= 0) {
            return "it contains '/'";
        }
        if (name.indexOf('\0') >= 0) {
            return "it contains a NUL character";
        }
        if (name.equals(".") || name.equals("..")) {
            return "it is a directory reference";
        }
        if (hasUnpairedSurrogate(name)) {
            return "it is not valid Unicode (an unpaired surrogate)";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            return "it is longer than " + NAME_MAX + " bytes";
        }
        return null;
    }

    private static boolean hasUnpairedSurrogate(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The file of a name in a directory, after {@link #validateName}. A name this JVM cannot encode
     * in its file name encoding ({@code sun.jnu.encoding}, from the locale) is refused too.
     *
     * @throws IllegalArgumentException naming what is wrong with the name
     */
    public static Path fileOf(Path dir, String name) {
        validateName(name);
        try {
            return dir.resolve(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("Invalid namespace name " + quote(name) + ": this JVM cannot encode it"
                    + " as a file name (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding")
                    + "; a UTF-8 locale such as LANG=C.UTF-8 can)", e);
        }
    }

    private static String quote(@Nullable String name) {
        if (name == null) {
            return "null";
        }
        String shown = name.length() > 40 ? name.substring(0, 40) + "...(" + name.length() + " chars)" : name;
        return "'" + shown.replace("\0", "\\0") + "'";
    }

    /** The file of an existing name (run dir first, then the legacy fallback), or null. */
    public @Nullable Path find(String name) {
        validateName(name);
        Linux.require();
        for (Path dir : readDirs()) {
            Path file = fileOf(dir, name);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return file;
            }
        }
        return null;
    }

    /** The file of an existing name, or a {@link NamespaceNotFoundException} saying where it looked. */
    public Path require(String name) {
        Path file = find(name);
        if (file == null) {
            throw new NamespaceNotFoundException("Named namespace '" + name + "' does not exist in " + runDir
                    + (readDirs().size() > 1 ? " or " + LEGACY_RUN_DIR : ""));
        }
        return file;
    }

    /** The names in the run dir (and the legacy fallback), sorted. */
    public List<String> list() {
        Linux.require();
        TreeSet<String> names = new TreeSet<>();
        for (Path dir : readDirs()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    names.add(entry.getFileName().toString());
                }
            } catch (IOException e) {
                throw new NetnsException("Cannot list named namespaces in " + dir + ": " + e.getMessage(), e);
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
     * Creates a named namespace as {@code ip netns add} does, and returns its file. The calling
     * thread is not moved: the unshare happens on a throwaway thread. On any failure the file is
     * removed again.
     */
    public Path create(String name) {
        Path dir = runDir;
        Path file = fileOf(dir, name);
        String context = "Cannot create named namespace '" + name + "'";
        Linux.require();
        makeSharedRunDir(dir, context);
        Syscalls.close(Syscalls.open(file.toString(), Syscalls.O_RDONLY | Syscalls.O_CREAT | Syscalls.O_EXCL, 0, context));
        try {
            Throwaway.call("netns-create", () -> {
                Syscalls.unshare(dev.netns.NamespaceType.NET);
                Syscalls.mount("/proc/thread-self/ns/net", file.toString(), "none", Syscalls.MS_BIND, "MS_BIND");
                return null;
            });
        } catch (RuntimeException | Error e) {
            Syscalls.tryUmount2(file.toString(), Syscalls.MNT_DETACH);
            Syscalls.tryUnlink(file.toString());
            throw e;
        }
        return file;
    }

    /**
     * Makes the run dir exist and be a shared mount point, under an exclusive flock so concurrent
     * creators (this JVM or iproute2-like tools that lock) do not stack mounts. Directories it had to
     * create are removed again when the mount fails (without CAP_SYS_ADMIN, say), empty ones only.
     */
    private static void makeSharedRunDir(Path dir, String context) {
        Path firstCreated = firstMissing(dir);
        try {
            shareRunDir(dir, context);
        } catch (RuntimeException | Error e) {
            removeCreated(dir, firstCreated);
            throw e;
        }
    }

    private static void shareRunDir(Path dir, String context) {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (AccessDeniedException e) {
            // Java reports EACCES, and only EACCES, as AccessDeniedException: an unprivileged caller.
            throw Errno.failure("mkdir", String.valueOf(e.getFile()), Errno.EACCES, context);
        } catch (IOException e) {
            throw new NetnsException(context + ": cannot create run dir " + dir + ": " + e, e);
        }
        String path = dir.toString();
        int lockFd = Syscalls.open(path, Syscalls.O_RDONLY, 0, context);
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

    /**
     * Deletes a named namespace as {@code ip netns delete} does: lazy unmount, then unlink, retried
     * while the file is still busy. A stale file that is no longer mounted is removed too.
     */
    public void delete(String name) {
        Path file = fileOf(runDir, name);
        Linux.require();
        String path = file.toString();
        String context = "Cannot delete named namespace '" + name + "'";
        int errno = Syscalls.tryUmount2(path, Syscalls.MNT_DETACH);
        if (errno == Errno.ENOENT) {
            throw new NamespaceNotFoundException("Named namespace '" + name + "' does not exist in " + runDir,
                    errno, Errno.name(errno));
        }
        if (errno != 0 && errno != Errno.EINVAL) { // EINVAL: not mounted, a stale file
            throw Errno.failure("umount2", path + ", MNT_DETACH", errno, context);
        }
        for (int attempt = 0; ; attempt++) {
            errno = Syscalls.tryUnlink(path);
            if (errno == 0) {
                return;
            }
            if (errno != Errno.EBUSY || attempt >= UNLINK_BUSY_RETRIES) {
                throw Errno.failure("unlink", path, errno, context);
            }
            LockSupport.parkNanos(1_000_000L * Math.min(attempt + 1, 20));
        }
    }
}
