package dev.netns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-namespace pools of platform threads that enter their namespace and stay there. Each
 * namespace (by {@link NamespaceId}) gets an executor holding its own handle, so callers may close
 * theirs at once. Threads are named {@code netns-<label>-<n>}; there are at most
 * {@link ExecutorSettings#threadsPerNamespace()} per namespace and
 * {@link ExecutorSettings#maxThreads()} in all, a hard limit: past it, an idle thread of another
 * namespace moves over, else tasks wait. Every thread is started from this JVM's own namespaces.
 * A task that moves its thread out of place (any namespace kind) gets the thread retired and
 * replaced. Idle threads end after the keep-alive, and an executor without a task for the
 * keep-alive retires and closes its handle, whether or not it ever ran one; an executor of a
 * named namespace this JVM deletes retires at once.
 *
 * <p>An executor returned by {@link #executorFor} may retire; submitting to it then throws
 * {@link RejectedExecutionException}: ask {@code executorFor} again (it is cheap) rather than
 * keeping the executor.
 */
public final class NamespaceExecutors implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NamespaceExecutors.class);
    /** Every instance not yet closed, told when this JVM deletes a named namespace. */
    private static final Set<NamespaceExecutors> OPEN = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private final NetnsRuntime runtime;
    private final ExecutorSettings settings;
    private final ConcurrentHashMap<NamespaceId, PinnedExecutor> executors = new ConcurrentHashMap<>();
    private final WorkerPool pool;

    /** Executors with {@link ExecutorSettings#defaults()}, in the {@linkplain NetnsRuntime#defaultRuntime() default runtime}. */
    public NamespaceExecutors() {
        this(ExecutorSettings.defaults());
    }

    /** Executors with the given settings, in the {@linkplain NetnsRuntime#defaultRuntime() default runtime}. */
    public NamespaceExecutors(ExecutorSettings settings) {
        this(NetnsRuntime.defaultRuntime(), settings);
    }

    /**
     * Executors with the given settings whose own handles (one per executor, labelled
     * {@code executor:LABEL}) are opened through {@code runtime} and show in its
     * {@link NetnsRuntime#openHandles()}.
     */
    public NamespaceExecutors(NetnsRuntime runtime, ExecutorSettings settings) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pool = new WorkerPool(settings, executor -> executors.remove(executor.id(), executor));
        OPEN.add(this);
    }

    /** The runtime the executors' own handles are opened through. */
    NetnsRuntime runtime() {
        return runtime;
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
        NsHandle own = ownHandle(ns, label);
        synchronized (pool) { // with close(): an executor made now is either refused or closed by it
            existing = executors.get(id);
            if (existing != null && existing.accepting()) {
                own.close();
                return existing;
            }
            PinnedExecutor created = new PinnedExecutor(pool, own, label);
            try {
                pool.created(created);
            } catch (RuntimeException e) {
                own.close();
                throw e;
            }
            executors.put(id, created);
            return created;
        }
    }

    /** The live executor of a namespace, or null. */
    @Nullable PinnedExecutor lookup(NamespaceId id) {
        PinnedExecutor executor = executors.get(id);
        return executor != null && executor.accepting() ? executor : null;
    }

    private NsHandle ownHandle(NsHandle ns, String label) {
        // Reopening the caller's fd through /proc gives the executor a handle of its own.
        NsHandle own = runtime.open("/proc/self/fd/" + ns.fd(), "executor:" + label, NamespaceType.NET,
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

    /** A named namespace was deleted by this JVM: its executors, in every open instance, retire at once. */
    static void namedNamespaceDeleted(NamespaceId id) {
        List<NamespaceExecutors> open;
        synchronized (OPEN) {
            open = new ArrayList<>(OPEN);
        }
        open.forEach(instance -> instance.retire(id));
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

    /** Live pinned threads across all namespaces (never above {@link ExecutorSettings#maxThreads()}), hung ones not counted. */
    public int threadCount() {
        return pool.liveThreads();
    }

    /** Pinned threads written off as hung (their callback ran past {@link ExecutorSettings#hungAfter()}) that still run. */
    public int hungThreadCount() {
        return pool.hungThreads();
    }

    /**
     * Closes, within {@link ExecutorSettings#closeTimeout()} in all: no task starts from now on
     * (queued ones fail with {@link RejectedExecutionException}), idle threads end, running
     * callbacks get half the timeout, are then interrupted, and get the rest. Threads still
     * running then are logged; {@link #closeAndReport()} returns them too. Called from a callback
     * of these executors, it neither waits for nor interrupts that callback's own thread, which
     * ends as soon as the callback returns.
     */
    @Override
    public void close() {
        closeAndReport();
    }

    /**
     * {@link #close()}, returning the names of the pinned threads still alive at its deadline
     * (empty when every one has ended). Idempotent.
     */
    public List<String> closeAndReport() {
        OPEN.remove(this);
        Duration timeout = settings.closeTimeout();
        List<String> stuck = pool.close(executors::values, timeout.toNanos());
        if (!stuck.isEmpty()) {
            log.warn("NamespaceExecutors closed with {} pinned thread(s) still running a callback after {} ms: {}",
                    stuck.size(), timeout.toMillis(), stuck);
        }
        return stuck;
    }

    boolean isClosed() {
        return pool.isClosed();
    }
}
