package dev.netns;

import dev.netns.internal.CreatedNamespaces;
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
    private volatile NamedNamespaces current;
    private boolean closed; // guarded by watches, as are the switches of current

    RunDirNames(NetnsRuntime runtime, Path runDir) {
        this.runtime = runtime;
        this.current = new NamedNamespaces(runDir);
    }

    Path runDir() {
        return current.runDir();
    }

    void setRunDir(Path dir) {
        synchronized (watches) { // one switch at a time: each NamedNamespaces replaced is the one closed
            NamedNamespaces previous = current;
            current = new NamedNamespaces(dir);
            previous.close();
        }
    }

    NsHandle create(String name) {
        NamedNamespaces named = current;
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
        current.delete(name).forEach(NamespaceExecutors::namedNamespaceDeleted);
    }

    NsHandle open(String name) {
        return runtime.adopt(current.open(name), "name:" + name);
    }

    List<String> list() {
        return current.list();
    }

    List<String> namesOf(NamespaceId id) {
        NamedNamespaces named = current;
        List<String> names = new ArrayList<>();
        for (String name : named.list()) {
            if (id.equals(named.idOf(name))) {
                names.add(name);
            }
        }
        return names;
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
        current.close();
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
