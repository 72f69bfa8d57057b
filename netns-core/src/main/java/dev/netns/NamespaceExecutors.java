package dev.netns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-namespace pools of platform threads that are born into their namespace and stay there.
 * Each namespace (by {@link NamespaceId}) gets an executor holding its own handle, so callers may
 * close theirs at once. Threads are named {@code netns-<label>-<n>}; there are at most
 * {@link ExecutorSettings#threadsPerNamespace()} per namespace and
 * {@link ExecutorSettings#maxThreads()} in all (tasks wait for a thread beyond that); idle threads
 * retire after the keep-alive, and an executor whose last thread has gone retires and closes its
 * handle. A task that moves its thread out of the namespace gets that thread retired and replaced.
 *
 * <p>An executor returned by {@link #executorFor} may retire once idle; submitting to it then
 * throws {@link java.util.concurrent.RejectedExecutionException}: ask {@code executorFor} again
 * (it is cheap) rather than keeping the executor.
 */
public final class NamespaceExecutors implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NamespaceExecutors.class);

    private final ExecutorSettings settings;
    private final ConcurrentHashMap<NamespaceId, PinnedExecutor> executors = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final ConcurrentLinkedQueue<PinnedExecutor> waitingForPermits = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** Executors with {@link ExecutorSettings#defaults()}. */
    public NamespaceExecutors() {
        this(ExecutorSettings.defaults());
    }

    public NamespaceExecutors(ExecutorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.permits = new Semaphore(settings.maxThreads());
    }

    /** The settings these executors run with. */
    public ExecutorSettings settings() {
        return settings;
    }

    /**
     * The executor pinned to the handle's namespace, created on first use. Labelled with the name
     * for a handle opened by name, else with the namespace id.
     *
     * @throws IllegalArgumentException when the handle is closed, none, or not a network namespace
     */
    public ExecutorService executorFor(NsHandle ns) {
        return pinned(ns, defaultLabel(ns));
    }

    /** The executor pinned to the handle's namespace, labelled (thread names, metrics) as given when it is created. */
    public ExecutorService executorFor(NsHandle ns, String label) {
        return pinned(ns, label);
    }

    static String defaultLabel(NsHandle ns) {
        String source = ns.source();
        return source.startsWith("name:") ? source.substring(5) : String.valueOf(ns.id());
    }

    PinnedExecutor pinned(NsHandle ns, String label) {
        NamespaceId id = ns.id();
        if (id == null || !ns.isOpen()) {
            throw new IllegalArgumentException("Cannot pin an executor to a closed or none handle: " + ns);
        }
        if (ns.type() != NamespaceType.NET) {
            throw new IllegalArgumentException("Executors are pinned to network namespaces; " + ns + " is a "
                    + ns.type().procName() + " namespace");
        }
        PinnedExecutor existing = executors.get(id);
        if (existing != null && existing.accepting()) {
            return existing;
        }
        requireOpen();
        return executors.compute(id, (key, old) -> old != null && old.accepting() ? old
                : new PinnedExecutor(this, ownHandle(ns, label), label, settings));
    }

    /** The live executor of a namespace, or null. */
    @Nullable PinnedExecutor lookup(NamespaceId id) {
        PinnedExecutor executor = executors.get(id);
        return executor != null && executor.accepting() ? executor : null;
    }

    private static NsHandle ownHandle(NsHandle ns, String label) {
        // Reopening the caller's fd through /proc gives the executor a handle of its own.
        NsHandle own = NsHandle.open("/proc/self/fd/" + ns.fd(), "executor:" + label, NamespaceType.NET,
                "Cannot open a handle for the executor of " + label);
        if (!Objects.equals(own.id(), ns.id())) {
            own.close();
            throw new IllegalArgumentException("The handle " + ns + " was closed while an executor was made for it");
        }
        return own;
    }

    /**
     * Retires the executor of a namespace, if there is one: it takes no more tasks, finishes those
     * queued, and closes its handle, so the namespace can be freed (e.g. a container that died).
     * A later {@link #executorFor} of that namespace makes a new executor.
     */
    public void retire(@Nullable NamespaceId id) {
        PinnedExecutor executor = id != null ? executors.get(id) : null;
        if (executor != null) {
            executor.shutdown();
            log.debug("Executor of namespace {} ({}) retired on request", executor.label(), id);
        }
    }

    /** Every live executor, by label. */
    public List<ExecutorInfo> executors() {
        List<ExecutorInfo> infos = new ArrayList<>();
        for (PinnedExecutor executor : executors.values()) {
            infos.add(executor.info());
        }
        infos.sort(Comparator.comparing(ExecutorInfo::label));
        return infos;
    }

    /** Live pinned threads across all namespaces (never above {@link ExecutorSettings#maxThreads()}). */
    public int threadCount() {
        return liveWorkers.get();
    }

    /** Stops taking tasks, lets queued ones finish, and waits for every thread to end; handles are closed. */
    @Override
    public void close() {
        closed = true;
        List<PinnedExecutor> all = new ArrayList<>(executors.values());
        all.forEach(PinnedExecutor::shutdown);
        boolean interrupted = false;
        for (PinnedExecutor executor : all) {
            while (true) {
                try {
                    if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                        log.warn("{} did not finish within 30 s of close()", executor);
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("NamespaceExecutors is closed");
        }
    }

    // --- the global thread cap, shared by every executor ---

    void workerStarted() {
        liveWorkers.incrementAndGet();
    }

    void workerEnded() {
        liveWorkers.decrementAndGet();
    }

    boolean tryAcquirePermit() {
        return permits.tryAcquire();
    }

    void releasePermit() {
        permits.release();
    }

    /** Whether an executor waits for a thread: idle workers elsewhere then give theirs up. */
    boolean permitsWanted() {
        return !waitingForPermits.isEmpty();
    }

    /** Queues the executor for the next free permit, and wakes an idle worker elsewhere to free one. */
    void awaitPermit(PinnedExecutor executor) {
        if (executor.waitingForPermit.compareAndSet(false, true)) {
            waitingForPermits.add(executor);
        }
        dispatchPermits();
        if (executor.waitingForPermit.get()) {
            for (PinnedExecutor other : executors.values()) {
                if (other != executor && other.idleWorkers() > 0) {
                    other.nudge();
                    break;
                }
            }
        }
    }

    /** Hands free permits to waiting executors, in order. */
    void dispatchPermits() {
        while (!waitingForPermits.isEmpty() && permits.tryAcquire()) {
            PinnedExecutor next = waitingForPermits.poll();
            if (next == null) {
                permits.release();
                return;
            }
            next.waitingForPermit.set(false);
            if (!next.startWithPermit()) {
                permits.release();
            }
        }
    }

    void retired(PinnedExecutor executor) {
        executors.remove(executor.id(), executor);
        log.debug("Executor of namespace {} ({}) retired", executor.label(), executor.id());
    }
}
