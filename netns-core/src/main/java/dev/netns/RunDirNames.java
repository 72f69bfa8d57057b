package dev.netns;

import dev.netns.internal.CreatedNamespaces;
import dev.netns.internal.NameCodec;
import dev.netns.internal.NamedNamespaces;
import dev.netns.internal.RunDirWatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The named namespaces of one {@link NetnsRuntime}: its run dir (fixed, but for the default
 * runtime's, which {@link Netns#setRunDirectory} changes), what is done to the names in it, and the
 * watches of it, which stop with the runtime.
 */
final class RunDirNames {

    private final NetnsRuntime runtime;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private volatile RunDir current;
    private boolean closed; // guarded by watches

    RunDirNames(NetnsRuntime runtime, Path runDir) {
        this.runtime = runtime;
        this.current = new RunDir(new NamedNamespaces(runDir));
    }

    Path runDir() {
        return current.named().runDir();
    }

    void setRunDir(Path dir) {
        current = new RunDir(new NamedNamespaces(dir));
    }

    NsHandle create(String name) {
        NamedNamespaces named = current.named();
        int fd = named.create(name);
        CreatedNamespaces.created(named.runDir().resolve(name));
        try {
            return runtime.adopt(fd, "name:" + name);
        } catch (RuntimeException | Error e) {
            try {
                named.delete(name);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    void delete(String name) {
        // Pinned executors of the deleted namespace would keep it alive until their keep-alive.
        current.named().delete(name).forEach(NamespaceExecutors::namedNamespaceDeleted);
    }

    NsHandle open(String name) {
        return runtime.adopt(current.named().open(name), "name:" + name);
    }

    List<String> list() {
        return current.named().list();
    }

    List<String> namesOf(NamespaceId id) {
        NamedNamespaces named = current.named();
        List<String> names = new ArrayList<>();
        for (String name : named.list()) {
            if (id.equals(named.idOf(name))) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * A name's file in the run dir as the C library gets it (NUL-terminated), from the name encoded
     * once ({@link NameCodec#encode}), for callers that stat it on every call.
     */
    byte[] nativeFileOf(byte[] encodedName) {
        byte[] dir = current.nativePath();
        byte[] path = new byte[dir.length + 1 + encodedName.length + 1];
        System.arraycopy(dir, 0, path, 0, dir.length);
        path[dir.length] = '/';
        System.arraycopy(encodedName, 0, path, dir.length + 1, encodedName.length);
        return path;
    }

    /** Starts a watch of the run dir, closed with the others by {@link #close()}. */
    AutoCloseable watch(Consumer<NamedNamespaceEvent> listener) {
        synchronized (watches) { // with close(): a watch started now is either refused or closed by it
            if (closed) {
                throw new IllegalStateException(runtime + " is closed: it starts no watch");
            }
            Watch watch = new Watch(RunDirWatch.start(runDir(), listener));
            watches.add(watch);
            return watch;
        }
    }

    /** Stops every watch; no watch starts afterwards. */
    void close() {
        List<Watch> running;
        synchronized (watches) {
            closed = true;
            running = new ArrayList<>(watches);
        }
        running.forEach(Watch::close);
    }

    /** The named namespaces of the run dir, and the run dir's path encoded once for {@link #nativeFileOf}. */
    private record RunDir(NamedNamespaces named, byte[] nativePath) {
        RunDir(NamedNamespaces named) {
            this(named, named.runDir().toString().getBytes(NameCodec.charset()));
        }
    }

    /** A watch of this run dir: closing it also forgets it. */
    private final class Watch implements AutoCloseable {

        private final RunDirWatch watch;

        Watch(RunDirWatch watch) {
            this.watch = watch;
        }

        @Override
        public void close() {
            watches.remove(this);
            watch.close();
        }
    }
}
