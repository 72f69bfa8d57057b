package dev.netns;

import dev.netns.internal.NamespaceCreator;
import dev.netns.internal.ProcessSpawner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 *
 * <p>Aliases are checked by {@link NamespaceAliases}.
 */
public class NamespaceTemplate {

    // Over 300 lines for its public API and Javadoc only. The template ties its parts together, each
    // with one job: NamespaceAliases (aliases), ReferenceCache (a reference's executor, cheaply on
    // repeat calls), ExecutionListeners, CallbackRunner (running, waiting, nested calls) and
    // CallbackFailures (what a caller gets).

    private final NetnsRuntime runtime;
    private final NamespaceResolver resolver;
    private final NamespaceExecutors executors;
    private final NamespaceAliases aliases;
    private final ReferenceCache references;
    private final ExecutionListeners listeners = new ExecutionListeners();

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

    /**
     * A template with these resolver and executors, in their runtime: the
     * {@link DefaultNamespaceResolver}'s, else the executors'.
     */
    public NamespaceTemplate(NamespaceResolver resolver, NamespaceExecutors executors) {
        this(resolver, executors, Map.of());
    }

    /**
     * {@link #NamespaceTemplate(NetnsRuntime, NamespaceResolver, NamespaceExecutors, Map)} in the
     * runtime of the resolver when it is a {@link DefaultNamespaceResolver}, else of the executors
     * (the {@linkplain NetnsRuntime#defaultRuntime() default runtime} for those made without one).
     */
    public NamespaceTemplate(NamespaceResolver resolver, NamespaceExecutors executors, Map<String, String> aliases) {
        this(runtimeOf(resolver, Objects.requireNonNull(executors, "executors").runtime()), resolver, executors, aliases);
    }

    /** The runtime a {@link DefaultNamespaceResolver} finds names in, else {@code otherwise}. */
    private static NetnsRuntime runtimeOf(NamespaceResolver resolver, NetnsRuntime otherwise) {
        return resolver instanceof DefaultNamespaceResolver builtIn ? builtIn.runtime() : otherwise;
    }

    /**
     * A template where each alias stands for a reference: {@code execute("backend", ...)} with
     * {@code backend -> docker:api-1}. An alias is used wherever a reference is, and labels the
     * executor and metrics of its namespace. Named namespaces are created and deleted in the
     * runtime's run dir, and looked for by name where the resolver looks (a
     * {@link DefaultNamespaceResolver} in its runtime's run dir): give it a resolver and executors of
     * the same runtime.
     *
     * @throws InvalidNamespaceAliasException naming the alias whose reference does not parse, or an
     *     alias that is blank or {@code host} or {@code current} in any case (they would hide or look
     *     like the keywords); see {@link NamespaceAliases#of}
     */
    public NamespaceTemplate(NetnsRuntime runtime, NamespaceResolver resolver, NamespaceExecutors executors,
            Map<String, String> aliases) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.executors = Objects.requireNonNull(executors, "executors");
        this.aliases = NamespaceAliases.of(aliases);
        // Names are looked for where the resolver finds them, even were it given another runtime.
        this.references = new ReferenceCache(this.aliases, resolver, executors, runtimeOf(resolver, runtime)::runDirectory);
    }

    /** The aliases and the references they stand for, in the order given; unmodifiable. */
    public Map<String, NamespaceReference> aliases() {
        return aliases.asMap();
    }

    /**
     * The reference an alias stands for, or the parsed reference.
     *
     * @throws IllegalArgumentException when the text is neither an alias nor a valid reference
     */
    public NamespaceReference referenceOf(String aliasOrReference) {
        return aliases.referenceOf(aliasOrReference);
    }

    /** Opens a handle to what an alias or reference points to; the caller closes it. */
    public NsHandle resolve(String aliasOrReference) {
        return resolver.resolve(referenceOf(aliasOrReference));
    }

    /**
     * Adds a listener told about every callback run. A listener that throws does not change the
     * call's outcome; its first failure is logged at WARN, later ones only counted
     * ({@link #listenerFailures()}).
     */
    public void addListener(ExecutionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** How often a listener of this template threw, over all listeners. */
    public long listenerFailures() {
        return listeners.failures();
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
        ReferenceCache.Target target = references.target(reference);
        return executeOn(target.alias(), target.referenceKind(), () -> references.executorFor(target), callback, 0);
    }

    /** Runs the callback in the handle's namespace and returns its result; the handle may be closed afterwards. */
    public <T> T execute(NsHandle ns, NamespaceCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        return executeOn(null, ExecutionEvent.HANDLE, () -> executorOf(ns), callback, 0);
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
        ReferenceCache.Target target = references.target(reference);
        return executeOn(target.alias(), target.referenceKind(), () -> references.executorFor(target), callback,
                CallbackRunner.limitNanos(timeLimit));
    }

    /** {@link #execute(NsHandle, NamespaceCallback)} within a time limit, as {@link #execute(String, Duration, NamespaceCallback)}. */
    public <T> T execute(NsHandle ns, Duration timeLimit, NamespaceCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        return executeOn(null, ExecutionEvent.HANDLE, () -> executorOf(ns), callback,
                CallbackRunner.limitNanos(timeLimit));
    }

    private PinnedExecutor executorOf(NsHandle ns) {
        return executors.pinned(ns, NamespaceExecutors.defaultLabel(ns));
    }

    /** Runs on the executor, telling the listeners. */
    private <T> T executeOn(@Nullable String alias, String referenceKind, Supplier<PinnedExecutor> executor,
            NamespaceCallback<T> callback, long limitNanos) {
        long start = listeners.start();
        Throwable failure = null;
        try {
            return CallbackRunner.call(executor, callback, limitNanos);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            listeners.executed(alias, referenceKind, start, failure);
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
        long start = listeners.start();
        ReferenceCache.Target target = references.target(reference);
        return CallbackRunner.submit(() -> references.executorFor(target), callback, start == 0 ? null
                : (result, failure) -> listeners.executed(target.alias(), target.referenceKind(), start, failure));
    }

    /**
     * A future completed, on a library thread in this JVM's own namespaces, with the outcome of a
     * stage that may complete anywhere (inside a namespace, say); its {@code *Async} stages
     * without an executor run on home threads too.
     */
    public static <T> CompletableFuture<T> atHome(CompletionStage<T> stage) {
        return HomeFuture.of(stage);
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
}
