package dev.netns;

import dev.netns.internal.NameCodec;
import dev.netns.internal.Syscalls;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The file a built-in reference's network namespace is found at: the one place that maps the
 * schemes {@code name}, {@code path}, {@code pid}, {@code thread}, {@code host} and
 * {@code current} to files. {@link Netns} and the {@link DefaultNamespaceResolver} open these
 * files; the template's {@link ReferenceCache} stats them, which gives the namespace's id without
 * opening anything. References of other schemes ({@code docker}, an extra resolver's) have no
 * such file: only their resolver knows what they stand for.
 */
final class NamespaceFile {

    /** This JVM's own namespace: the thread-group leader's. */
    static final String HOST = "/proc/self/ns/net";
    /** The calling thread's namespace. */
    static final String CURRENT = "/proc/thread-self/ns/net";

    private final byte[] nativePath;
    private final boolean runDirEntry;

    private NamespaceFile(byte[] nativePath, boolean runDirEntry) {
        this.nativePath = nativePath;
        this.runDirEntry = runDirEntry;
    }

    /** The network namespace file of a process. */
    static String ofProcess(int pid) {
        return "/proc/" + pid + "/ns/net";
    }

    /** The network namespace file of one thread of a process. */
    static String ofThread(int pid, int tid) {
        return "/proc/" + pid + "/task/" + tid + "/ns/net";
    }

    /**
     * The file of a built-in reference, its path encoded once as it may be stat'ed on every call;
     * {@code null} for the schemes of extra resolvers.
     *
     * @param runDir where named namespaces are
     */
    static @Nullable NamespaceFile of(NamespaceReference reference, Path runDir) {
        return switch (reference.scheme()) {
            case "name" -> new NamespaceFile(inRunDir(runDir, reference.value()), true);
            case "path" -> at(reference.value());
            case "pid" -> at(ofProcess(reference.pid()));
            case "thread" -> at(ofThread(reference.pid(), reference.tid()));
            case "host" -> at(HOST);
            case "current" -> at(CURRENT);
            default -> null;
        };
    }

    /** A name's file in the run dir as the C library gets it; {@code \xNN} escapes are bytes here as everywhere. */
    private static byte[] inRunDir(Path runDir, String name) {
        byte[] encodedName = NameCodec.encode(name);
        byte[] dir = runDir.toString().getBytes(NameCodec.charset());
        byte[] path = new byte[dir.length + 1 + encodedName.length + 1]; // NUL-terminated
        System.arraycopy(dir, 0, path, 0, dir.length);
        path[dir.length] = '/';
        System.arraycopy(encodedName, 0, path, dir.length + 1, encodedName.length);
        return path;
    }

    private static NamespaceFile at(String path) {
        return new NamespaceFile(Syscalls.nativePath(path), false);
    }

    /**
     * The id of the namespace at the file now, by stat, or {@code null} when nothing is there. An
     * entry of the run dir is stat'ed without following a link, as opening a name refuses a link.
     * The id names a namespace only while someone holds it open (inode numbers are reused).
     */
    @Nullable NamespaceId currentId() {
        return runDirEntry ? Syscalls.idOfOrNullNoFollow(nativePath) : Syscalls.idOfOrNull(nativePath);
    }
}
