package dev.netns.internal;

import dev.netns.NamedNamespaceEvent;
import dev.netns.NamedNamespaceEvent.Kind;
import dev.netns.NetnsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the run dir of named namespaces with inotify and tells a listener, on one thread of its
 * own, which names were added and deleted. Every event is checked against the names known so far,
 * so a listener never hears ADDED for a name it already heard of, nor DELETED for one it never did.
 *
 * <p>A run dir that does not exist yet is waited for: the deepest existing directory on its path is
 * watched until the next one appears. When the kernel's event queue overflows
 * ({@code IN_Q_OVERFLOW}), or the run dir is removed or replaced, the directory is listed again and
 * the difference is reported, deletions first, each kind sorted by name.
 *
 * <p>The thread is started at home ({@link HomeThreads}); if a listener moves it into another
 * namespace it is moved back (and the watch ends if that fails).
 */
public final class RunDirWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunDirWatch.class);
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    private static final int DIR_MASK = Inotify.IN_CREATE | Inotify.IN_DELETE | Inotify.IN_MOVED_FROM
            | Inotify.IN_MOVED_TO | Inotify.IN_DELETE_SELF | Inotify.IN_MOVE_SELF | Inotify.IN_ONLYDIR;
    private static final int ANCESTOR_MASK = Inotify.IN_CREATE | Inotify.IN_MOVED_TO | Inotify.IN_DELETE_SELF
            | Inotify.IN_MOVE_SELF | Inotify.IN_ONLYDIR;
    private static final int RELOOK = Inotify.IN_DELETE_SELF | Inotify.IN_MOVE_SELF | Inotify.IN_UNMOUNT | Inotify.IN_IGNORED;

    private static final long CLOSE_JOIN_MILLIS = 5_000;

    private final Path runDir;
    private final Consumer<NamedNamespaceEvent> listener;
    private final Inotify inotify;
    private final TreeSet<String> known = new TreeSet<>();
    private final Thread thread;
    private volatile boolean closed;
    private int wd = -1;
    /** Whether {@link #wd} watches the run dir itself, else the deepest existing ancestor. */
    private boolean watchingRunDir;
    /** While the run dir is missing: the name of the next directory on its path, in the one watched. */
    private String awaited = "";
    /** Set by an event that needs the directory listed again once its batch is read. */
    private boolean relook;

    private RunDirWatch(Path runDir, Consumer<NamedNamespaceEvent> listener, Inotify inotify) {
        this.runDir = runDir;
        this.listener = listener;
        this.inotify = inotify;
        this.thread = new Thread(this::run, "netns-watch-" + THREAD_NUMBERS.incrementAndGet());
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching: when this returns, every later change of the run dir is reported; the names
     * present now are not.
     */
    public static RunDirWatch start(Path runDir, Consumer<NamedNamespaceEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        Inotify inotify = Inotify.open("Cannot watch " + runDir);
        RunDirWatch watch = new RunDirWatch(runDir, listener, inotify);
        try {
            watch.arm(false);
            HomeThreads.start(watch.thread);
        } catch (RuntimeException | Error e) {
            inotify.close();
            throw e;
        }
        return watch;
    }

    /** The run dir watched. */
    public Path runDir() {
        return runDir;
    }

    /** The thread events are delivered on. */
    public Thread thread() {
        return thread;
    }

    /**
     * Watches the run dir, or the deepest existing directory on its path while it is missing, then
     * lists it and reports the difference to what was known (when {@code report}).
     */
    private void arm(boolean report) {
        if (wd >= 0) {
            inotify.removeWatch(wd);
            wd = -1;
        }
        while (true) {
            Path dir = deepestExisting();
            boolean isRunDir = dir.equals(runDir);
            int added = inotify.addWatch(dir, isRunDir ? DIR_MASK : ANCESTOR_MASK);
            if (added < 0) {
                continue; // removed or replaced meanwhile: look again
            }
            wd = added;
            watchingRunDir = isRunDir;
            awaited = isRunDir ? "" : nextOnPath(dir).getFileName().toString();
            if (isRunDir || !Files.isDirectory(nextOnPath(dir))) {
                break; // else the next directory appeared before the watch: go one deeper
            }
        }
        List<String> names = watchingRunDir ? list() : List.of();
        if (report) {
            reportDifference(names);
        } else {
            known.addAll(names);
        }
    }

    private Path deepestExisting() {
        Path dir = runDir;
        while (dir.getParent() != null && !Files.isDirectory(dir)) {
            dir = dir.getParent();
        }
        return dir;
    }

    private Path nextOnPath(Path ancestor) {
        return ancestor.resolve(runDir.getName(ancestor.getNameCount()).toString());
    }

    /** The names in the run dir as the bytes on disk decode ({@link NameCodec#decode}), as events name them. */
    private List<String> list() {
        List<String> names = new ArrayList<>();
        try {
            for (byte[] name : Syscalls.readDirectory(runDir.toString(), "Cannot list named namespaces in " + runDir)) {
                names.add(NameCodec.decode(name));
            }
        } catch (NetnsException e) {
            if (!Files.isDirectory(runDir)) {
                return List.of(); // removed meanwhile: its removal event arrives next
            }
            throw e;
        }
        return names;
    }

    /** Deletions first, then additions, each sorted by name. */
    private void reportDifference(List<String> names) {
        TreeSet<String> now = new TreeSet<>(names);
        for (String name : new ArrayList<>(known)) {
            if (!now.contains(name)) {
                change(Kind.DELETED, name);
            }
        }
        for (String name : now) {
            change(Kind.ADDED, name);
        }
    }

    /** Reports a change unless it changes nothing that was known. */
    private void change(Kind kind, String name) {
        boolean changed = kind == Kind.ADDED ? known.add(name) : known.remove(name);
        if (changed && !closed) {
            deliver(new NamedNamespaceEvent(kind, name));
        }
    }

    private void deliver(NamedNamespaceEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException | Error e) {
            log.warn("A listener of named namespaces in {} failed on {}", runDir, event, e);
        }
        if (!ThreadNamespaces.atHome()) {
            log.warn("A listener of named namespaces in {} moved thread {} out of this JVM's namespace; moving it back",
                    runDir, thread.getName());
            ThreadNamespaces.goHome(); // a failure ends the watch: its thread must not deliver from elsewhere
        }
    }

    private void run() {
        try {
            while (!closed && inotify.await()) {
                while (!closed && inotify.read(this::event)) {
                    if (relook) {
                        relook = false;
                        arm(true);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            log.error("The watch of named namespaces in {} stopped", runDir, e);
        } finally {
            inotify.close();
        }
    }

    /** One event of a batch; what needs the directory listed again sets {@link #relook} for the batch's end. */
    private void event(int eventWd, int mask, String name) {
        if ((mask & Inotify.IN_Q_OVERFLOW) != 0) {
            relook = true; // events were lost: the difference after this batch says what changed
        } else if (eventWd != wd || relook) {
            return; // an earlier watch's, or already covered by the difference
        } else if ((mask & RELOOK) != 0) {
            relook = true; // the watched directory itself went away or was moved
        } else if (!watchingRunDir) {
            relook = name.equals(awaited); // the next directory on the way to the run dir appeared
        } else if ((mask & (Inotify.IN_CREATE | Inotify.IN_MOVED_TO)) != 0) {
            change(Kind.ADDED, name);
        } else if ((mask & (Inotify.IN_DELETE | Inotify.IN_MOVED_FROM)) != 0) {
            change(Kind.DELETED, name);
        }
    }

    /**
     * Stops the watch: no event is delivered once this returns (one being delivered now finishes
     * first; this waits up to five seconds for it), and the thread ends. Idempotent; may be called
     * from the listener.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inotify.wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("The watch of named namespaces in {} is closed but its listener has not returned for {} ms",
                        runDir, CLOSE_JOIN_MILLIS);
            }
        }
    }
}
