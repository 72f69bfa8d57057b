package dev.netns;

import dev.netns.internal.HomeThreads;
import dev.netns.internal.NameCodec;
import dev.netns.internal.ProcessSpawner;
import dev.netns.internal.Syscalls;
import dev.netns.internal.NamespaceCreator;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs code inside network namespaces without ever moving the caller's thread: the callback runs
 * on a platform thread pinned to the namespace ({@link NamespaceExecutors}) and its result comes
 * back. Sockets opened in the callback belong to that namespace for good, whichever thread uses
 * them later.
 *
 * <pre>{@code
 * NamespaceTemplate netns = new NamespaceTemplate();
 * String links = netns.execute("blue", ns -> Files.readString(Path.of("/proc/thread-self/net/dev")));
 * }</pre>
 *
 * <p>Runtime exceptions and errors from the callback arrive unchanged; checked ones arrive wrapped
 * in {@link NamespaceExecutionException}. A call from a pinned worker into its own namespace runs
 * inline, so nested calls never deadlock; a call from a pinned worker into another namespace
 * switches that worker there and back. Interrupting a waiting caller cancels its task and throws
 * {@link NamespaceExecutionException} with the interrupt flag kept.
 */
public class NamespaceTemplate {

    private static final int MAX_CACHED_REFERENCES = 4096;
    private static final int RETIRED_RETRIES = 8;

    private final NetnsRuntime runtime;
    private final NamespaceResolver resolver;
    private final NamespaceExecutors executors;
    private final Map<String, NamespaceReference> aliases;
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();
    private final List<ExecutionListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * A template with the {@link DefaultNamespaceResolver} and default {@link NamespaceExecutors},
     * in the {@linkplain NetnsRuntime#defaultRuntime() default runtime}.
     */
    public NamespaceTemplate() {
        this(NetnsRuntime.defaultRuntime());
    }

    /**
     * A template in the given runtime (names in its run dir, handles in its
     * {@link NetnsRuntime#openHandles()}), with a {@link DefaultNamespaceResolver} and default
     * {@link NamespaceExecutors} of that runtime.
     */
    public NamespaceTemplate(NetnsRuntime runtime) {
        this(runtime, new DefaultNamespaceResolver(runtime), new NamespaceExecutors(runtime, ExecutorSettings.defaults()),
                Map.of());
    }

    /** A template with these resolver and executors, creating and deleting names in the default runtime. */
    public NamespaceTemplate(NamespaceResolver resolver, NamespaceExecutors executors) {
        this(resolver, executors, Map.of());
    }

    /**
     * {@link #NamespaceTemplate(NetnsRuntime, NamespaceResolver, NamespaceExecutors, Map)} in the
     * {@linkplain NetnsRuntime#defaultRuntime() default runtime}.
     */
    public NamespaceTemplate(NamespaceResolver resolver, NamespaceExecutors executors, Map<String, String> aliases) {
        this(NetnsRuntime.defaultRuntime(), resolver, executors, aliases);
    }

    /**
     * A template where each alias stands for a reference: {@code execute("backend", ...)} with
     * {@code backend -> docker:api-1}. An alias is used wherever a reference is, and labels the
     * executor and metrics of its namespace. Named namespaces are created and deleted, and looked
     * for by name, in the runtime's run dir; give it a resolver and executors of the same runtime.
     *
     * @throws IllegalArgumentException naming the alias whose reference does not parse, or an alias
     *     named {@code host} or {@code current} in any case (they would hide or look like the keywords)
     */
    public NamespaceTemplate(NetnsRuntime runtime, NamespaceResolver resolver, NamespaceExecutors executors,
            Map<String, String> aliases) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.executors = Objects.requireNonNull(executors, "executors");
        Map<String, NamespaceReference> parsed = new LinkedHashMap<>();
        aliases.forEach((alias, reference) -> {
            if (alias == null || alias.isBlank()) {
                throw new IllegalArgumentException("A namespace alias must not be blank");
            }
            if (NamespaceReference.isKeywordInAnyCase(alias)) {
                throw new IllegalArgumentException("Namespace alias '" + alias + "' is not allowed: 'host' and 'current'"
                        + " (in any case) are keywords of references and cannot be aliases");
            }
            try {
                parsed.put(alias, NamespaceReference.parse(reference));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Namespace alias '" + alias + "': " + e.getMessage(), e);
            }
        });
        this.aliases = Collections.unmodifiableMap(parsed);
    }

    /** The aliases and the references they stand for. */
    public Map<String, NamespaceReference> aliases() {
        return aliases;
    }

    /** The reference an alias stands for, or the parsed reference. */
    public NamespaceReference referenceOf(String aliasOrReference) {
        NamespaceReference aliased = aliases.get(aliasOrReference);
        return aliased != null ? aliased : NamespaceReference.parse(aliasOrReference);
    }

    /** Opens a handle to what an alias or reference points to; the caller closes it. */
    public NsHandle resolve(String aliasOrReference) {
        return resolver.resolve(referenceOf(aliasOrReference));
    }

    /** Adds a listener told about every callback run. */
    public void addListener(ExecutionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The runtime named namespaces are created, deleted and looked for in. */
    public NetnsRuntime runtime() {
        return runtime;
    }

    /** The resolver references go through. */
    public NamespaceResolver resolver() {
        return resolver;
    }

    /** The pinned executors callbacks run on. */
    public NamespaceExecutors executors() {
        return executors;
    }

    /**
     * Runs the callback in the namespace a reference points to and returns its result.
     *
     * @param reference see {@link NamespaceReference#parse}
     * @throws IllegalArgumentException for a malformed reference
     * @throws NamespaceNotFoundException when it points to nothing
     * @throws NamespaceExecutionException wrapping a checked exception of the callback
     */
    public <T> T execute(String reference, NamespaceCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        Target target = target(reference);
        return executeOn(target.alias, target.reference.scheme(), () -> executorFor(target), callback, 0);
    }

    /** Runs the callback in the handle's namespace and returns its result; the handle may be closed afterwards. */
    public <T> T execute(NsHandle ns, NamespaceCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        return executeOn(null, ExecutionEvent.HANDLE, () -> executors.pinned(ns, NamespaceExecutors.defaultLabel(ns)), callback, 0);
    }

    /**
     * {@link #execute(String, NamespaceCallback)} within a time limit: a callback still running
     * when it is up is cancelled, its thread interrupted, and {@link NamespaceTimeoutException}
     * thrown (the time spent waiting for a thread counts). A call from a pinned worker (a callback)
     * runs inline on that worker: at the limit the worker is interrupted, and the exception is
     * thrown once the callback has returned.
     *
     * @throws NamespaceTimeoutException when the limit is reached
     */
    public <T> T execute(String reference, Duration timeLimit, NamespaceCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        Target target = target(reference);
        return executeOn(target.alias, target.reference.scheme(), () -> executorFor(target), callback, limitNanos(timeLimit));
    }

    /** {@link #execute(NsHandle, NamespaceCallback)} within a time limit, as {@link #execute(String, Duration, NamespaceCallback)}. */
    public <T> T execute(NsHandle ns, Duration timeLimit, NamespaceCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        return executeOn(null, ExecutionEvent.HANDLE, () -> executors.pinned(ns, NamespaceExecutors.defaultLabel(ns)), callback,
                limitNanos(timeLimit));
    }

    private static long limitNanos(Duration timeLimit) {
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("A time limit must be positive, got " + timeLimit);
        }
        return timeLimit.toNanos();
    }

    /** Runs on the executor (looked up again if it retired meanwhile), telling the listeners. */
    private <T> T executeOn(@Nullable String alias, String referenceKind, Supplier<PinnedExecutor> executor,
            NamespaceCallback<T> callback, long limitNanos) {
        long start = listeners.isEmpty() ? 0 : System.nanoTime();
        Throwable failure = null;
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    return run(executor.get(), callback, limitNanos);
                } catch (RetiredExecutorException e) {
                    if (attempt >= RETIRED_RETRIES) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (start != 0) {
                notifyListeners(alias, referenceKind, start, failure);
            }
        }
    }

    private void notifyListeners(@Nullable String alias, String referenceKind, long start, @Nullable Throwable failure) {
        ExecutionEvent event = new ExecutionEvent(alias, referenceKind, System.nanoTime() - start, failure);
        for (ExecutionListener listener : listeners) {
            try {
                listener.executed(event);
            } catch (RuntimeException e) {
                // a listener must not change the outcome of the call
            }
        }
    }

    /**
     * Runs the callback asynchronously in the namespace a reference points to. The reference is
     * resolved now (bad or missing references throw here); the callback's outcome completes the
     * future, a checked exception wrapped as in {@link #execute(String, NamespaceCallback)}.
     *
     * <p>The future is completed on a library thread in this JVM's own namespaces, never on the
     * pinned thread, so stages attached to it run outside the namespace; {@code *Async} stages
     * without an executor run on the library's home threads. Cancelling it keeps a queued
     * callback from running and interrupts a running one. A pinned worker that waits for it
     * ({@code get}, {@code join}) runs the callback itself if no thread has started it.
     */
    public <T> CompletableFuture<T> submit(String reference, NamespaceCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        long start = listeners.isEmpty() ? 0 : System.nanoTime();
        Target target = target(reference);
        for (int attempt = 0; ; attempt++) {
            PinnedExecutor executor = executorFor(target);
            HomeFuture<T> future = new HomeFuture<>();
            if (start != 0) {
                future.whenComplete((result, failure) -> notifyListeners(target.alias, target.reference.scheme(), start, failure));
            }
            PinnedTask<T>[] task = newTaskArray();
            task[0] = executor.task(() -> callback.doInNamespace(executor.handle()),
                    () -> HomeFuture.completeAtHome(future, task[0]));
            future.attach(task[0]);
            try {
                executor.execute(task[0]);
                return future;
            } catch (RetiredExecutorException e) {
                if (attempt >= RETIRED_RETRIES) {
                    throw e;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> PinnedTask<T>[] newTaskArray() {
        return (PinnedTask<T>[]) new PinnedTask<?>[1];
    }

    /**
     * A future completed, on a library thread in this JVM's own namespaces, with the outcome of a
     * stage that may complete anywhere (inside a namespace, say); its {@code *Async} stages
     * without an executor run on home threads too.
     */
    public static <T> CompletableFuture<T> atHome(CompletionStage<T> stage) {
        HomeFuture<T> future = new HomeFuture<>();
        stage.whenComplete((result, failure) -> HomeThreads.completions().execute(() -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(result);
            }
        }));
        return future;
    }

    /**
     * The network interfaces and addresses inside the namespace a reference points to, listed on
     * its pinned thread ({@link Netns#interfaces()} there); the caller's thread is untouched.
     *
     * @param reference see {@link NamespaceReference#parse}
     * @throws NamespaceNotFoundException when it points to nothing
     */
    public List<NetworkInterfaceInfo> interfaces(String reference) {
        return execute(reference, ns -> Netns.interfaces());
    }

    /**
     * The network interfaces and addresses inside the handle's namespace, listed on its pinned
     * thread ({@link Netns#interfaces()} there); the caller's thread is untouched.
     */
    public List<NetworkInterfaceInfo> interfaces(NsHandle ns) {
        return execute(ns, handle -> Netns.interfaces());
    }

    /**
     * The id (nsid) by which one namespace knows another, as {@code ip -n FROM netns list-id} shows
     * it: asked over a netlink socket opened inside {@code fromReference}, on its pinned thread
     * ({@link Netns#nsid} there); the caller's thread is untouched. Empty when none is assigned.
     *
     * @param fromReference the namespace that knows the id
     * @param ofReference the namespace the id stands for
     * @throws NamespaceNotFoundException when either points to nothing
     */
    public OptionalInt nsid(String fromReference, String ofReference) {
        try (NsHandle of = resolve(ofReference)) {
            return execute(fromReference, ns -> Netns.nsid(of));
        }
    }

    /**
     * Starts a process whose network namespace is the one a reference points to, as
     * {@code ip netns exec} does, without forking {@code ip} and without moving the caller's thread.
     * The child is started with {@code posix_spawn} on the namespace's pinned thread and reaped by one
     * library thread that lives in this JVM's own namespace, so no thread is left in the namespace
     * (the JDK's {@code ProcessBuilder.start} would start one of its process-reaper threads on the
     * calling thread, born in whatever namespace that thread is in).
     *
     * <p>The builder is followed as {@link ProcessBuilder#start()} follows it: command (searched in
     * this JVM's {@code PATH}), environment, directory, the three redirects and
     * {@code redirectErrorStream}; the child keeps no descriptor but 0, 1 and 2, and starts with an
     * empty signal mask. The returned {@link Process} behaves like the JDK's: exit value 128+N when
     * killed by signal N, {@code destroy()} sends SIGTERM, {@code onExit()} completes on the common
     * pool. Only the network namespace changes: the mount namespace is this JVM's, so unlike
     * {@code ip netns exec}, {@code /etc/netns/NAME} files are not bind-mounted over {@code /etc} and
     * {@code /sys} is not remounted (emulating them is left out).
     *
     * @param reference see {@link NamespaceReference#parse}
     * @throws IOException as {@code ProcessBuilder.start}: the program cannot be run, a redirect's file cannot be opened
     * @throws NamespaceNotFoundException when the reference points to nothing
     */
    public Process start(String reference, ProcessBuilder builder) throws IOException {
        Objects.requireNonNull(builder, "builder");
        try {
            return execute(reference, ns -> ProcessSpawner.spawn(builder));
        } catch (NamespaceExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /**
     * Creates an anonymous network namespace; the caller's thread is untouched. It is made by the
     * library's creator thread, which is back in the host namespace (or gone) before this returns:
     * the handle is then the only thing holding the namespace.
     */
    public NsHandle create() {
        return runtime.adopt(NamespaceCreator.instance().newNetworkNamespace(), "created");
    }

    /**
     * Creates a named network namespace like {@code ip netns add}, in the runtime's run dir; the
     * caller's thread is untouched. See {@link Netns#newNamed}.
     */
    public NsHandle createNamed(String name) {
        return runtime.newNamed(name);
    }

    /**
     * Deletes a named network namespace like {@code ip netns delete}, in the runtime's run dir. See
     * {@link Netns#deleteNamed}.
     */
    public void deleteNamed(String name) {
        runtime.deleteNamed(name);
    }

    // --- running ---

    private <T> T run(PinnedExecutor executor, NamespaceCallback<T> callback, long limitNanos) {
        PinnedWorker worker = PinnedWorker.current();
        PinnedExecutor current = worker != null ? worker.serving() : null;
        if (current != null) {
            // A pinned worker waiting for another thread could deadlock under the cap: it runs the
            // callback itself, in place or after going to the namespace (and back).
            @SuppressWarnings("unchecked")
            T[] result = (T[]) new Object[1];
            Runnable body = () -> result[0] = inline(executor.handle(), callback);
            if (limitNanos > 0) {
                runInlineWithin(executor, body, limitNanos);
            } else {
                PinnedWorker.runIn(executor, body);
            }
            return result[0];
        }
        PinnedTask<T> task = executor.task(() -> callback.doInNamespace(executor.handle()), null);
        executor.execute(task);
        return await(task, executor, limitNanos);
    }

    /** Runs a callback inline on the calling pinned worker, interrupting it at the limit. */
    private static void runInlineWithin(PinnedExecutor executor, Runnable body, long limitNanos) {
        Thread self = Thread.currentThread();
        AtomicInteger state = new AtomicInteger(); // 0 running, 1 returned, 2 interrupting, 3 interrupted
        HomeThreads.schedule(limitNanos, () -> {
            if (state.compareAndSet(0, 2)) {
                self.interrupt();
                state.set(3);
            }
        });
        Throwable failure = null;
        try {
            PinnedWorker.runIn(executor, body);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        if (!state.compareAndSet(0, 1)) {
            while (state.get() != 3) {
                Thread.onSpinWait();
            }
            Thread.interrupted(); // the limit's interrupt, not the caller's
            throw new NamespaceTimeoutException("The callback in namespace " + executor.label() + " (" + executor.id()
                    + ") did not finish within " + TimeUnit.NANOSECONDS.toMillis(limitNanos)
                    + " ms; it ran inline on a pinned worker, which was interrupted", failure);
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    private static <T> T inline(NsHandle ns, NamespaceCallback<T> callback) {
        try {
            return callback.doInNamespace(ns);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new NamespaceExecutionException("Callback in namespace " + ns.id() + " failed: " + e, e);
        }
    }

    private static <T> T await(PinnedTask<T> task, PinnedExecutor executor, long limitNanos) {
        try {
            return limitNanos > 0 ? task.get(limitNanos, TimeUnit.NANOSECONDS) : task.get();
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new NamespaceExecutionException("Interrupted while waiting for a task in namespace "
                    + executor.label() + "; the task was cancelled", e);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new NamespaceTimeoutException("The callback in namespace " + executor.label() + " (" + executor.id()
                    + ") did not finish within " + TimeUnit.NANOSECONDS.toMillis(limitNanos)
                    + " ms; it was cancelled and its thread interrupted", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause(), executor);
        }
    }

    private static RuntimeException rethrow(@Nullable Throwable cause, PinnedExecutor executor) {
        Throwable wrapped = wrapChecked(cause, executor);
        if (wrapped instanceof Error error) {
            throw error;
        }
        return (RuntimeException) wrapped;
    }

    static Throwable wrapChecked(@Nullable Throwable cause, PinnedExecutor executor) {
        if (cause instanceof RuntimeException || cause instanceof Error) {
            return cause;
        }
        return new NamespaceExecutionException("Callback in namespace " + executor.label() + " (" + executor.id()
                + ") failed: " + cause, cause);
    }

    // --- references: cheap repeat lookups ---

    /**
     * A parsed reference with the file whose stat gives its namespace id without opening it, its
     * path encoded once ({@link Syscalls#nativePath}) as it is stat'ed on every call; for a name,
     * the name encoded once ({@link NameCodec#encode}), its file being in the runtime's run dir.
     * The id is only trusted when a live executor holds that namespace: its held handle keeps the
     * inode from being reused.
     */
    private record Target(NamespaceReference reference, @Nullable String alias, byte @Nullable [] statPath,
            byte @Nullable [] encodedName, String label) {
    }

    private Target target(String text) {
        Target target = targets.get(text);
        if (target != null) {
            return target;
        }
        NamespaceReference aliased = aliases.get(text);
        NamespaceReference reference = aliased != null ? aliased : NamespaceReference.parse(text);
        String alias = aliased != null ? text : null;
        boolean named = reference.scheme().equals("name");
        String statPath = named ? null : statPath(reference);
        target = new Target(reference, alias, statPath == null ? null : Syscalls.nativePath(statPath),
                named ? NameCodec.encode(reference.value()) : null, alias != null ? alias : label(reference));
        if (targets.size() >= MAX_CACHED_REFERENCES) {
            targets.clear();
        }
        targets.put(text, target);
        return target;
    }

    private static @Nullable String statPath(NamespaceReference reference) {
        switch (reference.scheme()) {
            case "path":
                return reference.value();
            case "pid":
                return "/proc/" + reference.pid() + "/ns/net";
            case "thread":
                return "/proc/" + reference.pid() + "/task/" + reference.tid() + "/ns/net";
            case "host":
                return "/proc/self/ns/net";
            case "current":
                return "/proc/thread-self/ns/net";
            default:
                return null; // resolved by an extra resolver every time (it caches as it sees fit)
        }
    }

    private static String label(NamespaceReference reference) {
        switch (reference.scheme()) {
            case "name":
            case "docker":
                return reference.value();
            case "host":
                return "host";
            default:
                return "";
        }
    }

    private PinnedExecutor executorFor(Target target) {
        PinnedExecutor executor = null;
        if (target.encodedName != null || target.statPath != null) {
            // a name's entry is stat'ed without following a link: a link in the run dir is refused by resolve
            NamespaceId id = target.encodedName != null ? Syscalls.idOfOrNullNoFollow(runtime.nativeFileOf(target.encodedName))
                    : Syscalls.idOfOrNull(target.statPath);
            if (id != null) {
                executor = executors.lookup(id);
            }
        }
        if (executor == null) {
            try (NsHandle ns = resolver.resolve(target.reference)) {
                executor = executors.pinned(ns, target.label.isEmpty() ? String.valueOf(ns.id()) : target.label);
            }
        }
        if (target.alias != null && !target.alias.equals(executor.label())) {
            executor.relabel(target.alias); // an alias names its executor, whoever made it first
        }
        return executor;
    }
}
