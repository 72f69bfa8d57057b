package dev.netns;

import dev.netns.internal.HandleRegistry;
import dev.netns.internal.NamedNamespaces;
import dev.netns.internal.Syscalls;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What is configurable in netns, held by an object instead of the JVM: the run dir of named
 * namespaces, the leak policy (log leaked handles, record the stacks that open handles), the view
 * of the handles opened through it ({@link #openHandles()}, {@link #leakedHandles()}), and how
 * handles are opened and labelled ({@link #open(String, String)}). Two runtimes with different
 * settings live side by side in one JVM, as two application contexts do.
 *
 * <pre>{@code
 * try (NetnsRuntime runtime = NetnsRuntime.builder().runDirectory(Path.of("/run/my-netns")).build()) {
 *     NamespaceTemplate template = new NamespaceTemplate(runtime);
 *     try (NsHandle blue = runtime.newNamed("blue")) { ... }
 * }
 * }</pre>
 *
 * <p>The static {@link Netns} facade and every public constructor without a runtime use the
 * {@linkplain #defaultRuntime() default runtime}, as Micrometer's {@code Metrics.globalRegistry}
 * serves code that is not given a registry. What is per process stays per process: the fd table
 * and the threads (namespace membership is a thread's), the Cleaner that closes leaked handles, the
 * library's home and creator threads.
 *
 * <p><b>Closing</b> stops the runtime's {@linkplain #watchNamed watches} and closes the Docker
 * resolver it made for {@link #fromDocker}; afterwards every operation that opens, creates,
 * deletes, lists or watches throws {@link IllegalStateException} naming the runtime. Its settings,
 * {@link #openHandles()} and {@link #leakedHandles()} still answer, and handles it opened stay open
 * until their owners close them (closing an fd under code that uses it would be worse than a leak).
 * The default runtime cannot be closed: {@link #close()} does nothing there. Thread-safe.
 */
// Longer than this project's usual classes: it is the whole public face of the settings, mostly
// documentation; the work is done by RunDirNames, HandleRegistry and ProvidedResolvers.
public final class NetnsRuntime implements AutoCloseable {

    private static final String DEFAULT_STACK_TRACES_HINT =
            "set the system property netns.track-stack-traces=true or call Netns.trackStackTraces(true)";
    private static final String BUILT_STACK_TRACES_HINT = "build the NetnsRuntime with trackStackTraces(true)";

    private final boolean isDefault;
    private final HandleRegistry handles;
    private final RunDirNames names;
    private final ProvidedResolvers provided = new ProvidedResolvers(this);
    private volatile boolean closed;

    private NetnsRuntime(Path runDirectory, HandleRegistry handles, boolean isDefault) {
        this.names = new RunDirNames(this, runDirectory);
        this.handles = handles;
        this.isDefault = isDefault;
    }

    /**
     * The runtime of the static {@link Netns} facade and of every constructor not given a runtime,
     * configured by system properties: {@code netns.run-dir} (default {@code /run/netns}, read with a
     * {@code /var/run/netns} fallback), {@code netns.leak-detection.enabled} (default true) and
     * {@code netns.track-stack-traces} (default false); changed later only through
     * {@link Netns#setRunDirectory}, {@link Netns#logLeaks} and {@link Netns#trackStackTraces}.
     */
    public static NetnsRuntime defaultRuntime() {
        return Default.RUNTIME;
    }

    /** A builder for a runtime of your own; its defaults are the library's, not the system properties. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether this is the {@linkplain #defaultRuntime() default runtime}. */
    public boolean isDefault() {
        return isDefault;
    }

    /** Whether {@link #close()} was called (never true of the default runtime). */
    public boolean isClosed() {
        return closed;
    }

    /** The run dir of named namespaces; iproute2's is {@code /run/netns}. */
    public Path runDirectory() {
        return names.runDir();
    }

    /** Whether a handle opened through this runtime and garbage-collected while open is logged (it is closed and counted either way). */
    public boolean logsLeaks() {
        return handles.logsLeaks();
    }

    /** Whether handles opened through this runtime record the stack that opened them. */
    public boolean tracksStackTraces() {
        return handles.tracksStackTraces();
    }

    /**
     * Opens the namespace file at {@code path} as a handle of this runtime, labelled
     * {@code source} in {@link #openHandles()} and leak logs. The file is first opened
     * {@code O_PATH}, which opens nothing, and proven an nsfs namespace file; only then is it opened
     * for reading, {@code O_CLOEXEC}. A FIFO, device, socket or regular file is refused without
     * ever being opened. The handle's type is the kernel's (a network namespace is assumed before
     * Linux 4.11, which cannot tell).
     *
     * @param source where it comes from, such as {@code docker:web} or {@code pid:42}
     * @throws NotANamespaceException when the path is not a namespace file
     * @throws NamespaceNotFoundException (ENOENT) when nothing is there
     * @throws IllegalStateException once this runtime is closed
     */
    public NsHandle open(String path, String source) {
        return open(path, source, NamespaceType.NET, null);
    }

    /**
     * {@link #open(String, String)}, with {@code context} leading the message of any failure
     * ({@code "Container 'web' (4f2a...), process 42"}).
     */
    public NsHandle open(String path, String source, String context) {
        return open(path, source, NamespaceType.NET, Objects.requireNonNull(context, "context"));
    }

    NsHandle open(String path, String source, NamespaceType expected, @Nullable String context) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(source, "source");
        requireOpen();
        return NsHandle.open(handles, path, source, expected, context);
    }

    /** The calling thread's namespace of a type. */
    NsHandle current(NamespaceType type) {
        return open("/proc/thread-self/ns/" + type.procName(), "current", type, "Cannot open the calling thread's namespace");
    }

    /** This JVM's own network namespace: the thread-group leader's, never pid 1's. */
    NsHandle host() {
        return open(NamespaceFile.HOST, "host", NamespaceType.NET, "Cannot open this JVM's namespace");
    }

    NsHandle fromPath(String path) {
        return open(path, "path:" + path, NamespaceType.NET, null);
    }

    NsHandle fromPid(int pid) {
        return open(NamespaceFile.ofProcess(pid), "pid:" + pid, NamespaceType.NET, "Process " + pid);
    }

    NsHandle fromThread(int pid, int tid) {
        return open(NamespaceFile.ofThread(pid, tid), "thread:" + pid + "/" + tid, NamespaceType.NET,
                "Thread " + tid + " of process " + pid);
    }

    /** Takes over an open namespace fd as a handle of this runtime (closing the fd if that fails). */
    NsHandle adopt(int fd, String source) {
        if (closed) {
            Syscalls.closeQuietly(fd);
            requireOpen();
        }
        return NsHandle.adopt(handles, fd, source, NamespaceType.NET);
    }

    /**
     * Creates a named network namespace in this runtime's run dir, as {@link Netns#newNamed} does in
     * the default runtime's, and returns a handle to it; the calling thread stays where it was.
     *
     * @throws IllegalArgumentException for a name iproute2 would refuse
     * @throws NamespaceExistsException (EEXIST) when the name is taken (the existing namespace is untouched)
     */
    public NsHandle newNamed(String name) {
        return names().create(name);
    }

    /**
     * Deletes a named network namespace of this runtime's run dir, as {@link Netns#deleteNamed}
     * does in the default runtime's. Pinned executors of the namespace, in any runtime, retire at once.
     *
     * @throws NamespaceNotFoundException (ENOENT) when no such name exists
     * @throws NotANamespaceException when the name holds something that is not a named namespace
     */
    public void deleteNamed(String name) {
        names().delete(name);
    }

    /**
     * Opens a named namespace of this runtime's run dir, as {@link Netns#fromName} does in the
     * default runtime's.
     *
     * @throws NamespaceNotFoundException (ENOENT) when no such name exists
     * @throws NotANamespaceException when the name holds something else (a link, a stale file)
     */
    public NsHandle fromName(String name) {
        return names().open(name);
    }

    /** The names in this runtime's run dir, sorted, as {@link Netns#listNamed} lists the default runtime's. */
    public List<String> listNamed() {
        return names().list();
    }

    /** The names in this runtime's run dir that refer to the handle's namespace, like {@code ip netns identify}. */
    public List<String> namesOf(NsHandle ns) {
        NamespaceId id = ns.id();
        if (id == null || !ns.isOpen()) {
            throw new IllegalArgumentException("The handle is closed or none: " + ns);
        }
        return names().namesOf(id);
    }

    /**
     * Tells the listener whenever a named namespace is added to or deleted from this runtime's run
     * dir, by anyone, as {@link Netns#watchNamed} does for the default runtime's. Closing the runtime
     * closes its watches.
     *
     * @return the watch; {@code close()} stops it
     */
    public AutoCloseable watchNamed(Consumer<NamedNamespaceEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        return names().watch(listener);
    }

    /**
     * Opens the network namespace of a running Docker container, as {@link Netns#fromDocker} does,
     * through a {@code dev.netns.docker.DockerNamespaceResolver} of this runtime for
     * {@code DOCKER_HOST} (or the default socket), made on first use and closed with the runtime.
     * To choose the engine or the client, give a {@code DockerNamespaceResolver} this runtime instead.
     *
     * @throws NamespaceNotFoundException for an unknown container, or one that is not running
     * @throws NamespaceUnavailableException when the engine cannot be reached, or docker-java is
     *     not on the class path (the message names what to add)
     */
    public NsHandle fromDocker(String idOrPrefixOrName) {
        Objects.requireNonNull(idOrPrefixOrName, "idOrPrefixOrName");
        requireOpen();
        return provided.resolve(new NamespaceReference("docker", idOrPrefixOrName));
    }

    /** Every open handle opened through this runtime, oldest first. */
    public List<HandleInfo> openHandles() {
        return handles.snapshot();
    }

    /** How many handles opened through this runtime were garbage-collected while open (each was closed then). */
    public long leakedHandles() {
        return handles.leakedCount();
    }

    /**
     * Stops this runtime's watches and closes the resolvers it made; later operations throw
     * {@link IllegalStateException}. Open handles stay open. Idempotent; does nothing on the default runtime.
     */
    @Override
    public synchronized void close() {
        if (isDefault || closed) {
            return;
        }
        closed = true;
        names.close();
        provided.close();
    }

    @Override
    public String toString() {
        return (isDefault ? "the default NetnsRuntime" : "NetnsRuntime") + " (run dir " + runDirectory()
                + (closed ? ", closed)" : ")");
    }

    // --- for the rest of dev.netns ---

    void setRunDirectory(Path dir) {
        requireDefault();
        names.setRunDir(dir);
    }

    void logLeaks(boolean log) {
        requireDefault();
        handles.logLeaks(log);
    }

    void trackStackTraces(boolean track) {
        requireDefault();
        handles.trackStackTraces(track);
    }

    private void requireDefault() {
        if (!isDefault) {
            throw new IllegalStateException("Only the default runtime's settings change after it is built");
        }
    }

    private RunDirNames names() {
        requireOpen();
        return names;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed: build another runtime, or use one that is open");
        }
    }

    /** Holds the default runtime, made on first use from the system properties. */
    private static final class Default {

        static final NetnsRuntime RUNTIME = new NetnsRuntime(runDirectoryProperty(),
                new HandleRegistry(!"false".equals(System.getProperty("netns.leak-detection.enabled")),
                        Boolean.getBoolean("netns.track-stack-traces"), DEFAULT_STACK_TRACES_HINT), true);

        private static Path runDirectoryProperty() {
            String configured = System.getProperty("netns.run-dir");
            return configured == null || configured.isBlank() ? NamedNamespaces.DEFAULT_RUN_DIR : Path.of(configured);
        }
    }

    /** Settings of a {@link NetnsRuntime}; each has the library's default. */
    public static final class Builder {

        private Path runDirectory = NamedNamespaces.DEFAULT_RUN_DIR;
        private boolean logLeaks = true;
        private boolean trackStackTraces;
        private String stackTracesHint = BUILT_STACK_TRACES_HINT;

        private Builder() {
        }

        /**
         * The run dir of named namespaces, an absolute path (default {@code /run/netns}, read with a
         * {@code /var/run/netns} fallback as iproute2 does).
         */
        public Builder runDirectory(Path dir) {
            this.runDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Whether a leaked handle is logged (default true); it is closed and counted either way. */
        public Builder logLeaks(boolean log) {
            this.logLeaks = log;
            return this;
        }

        /** Whether handles record the stack that opened them (default false): it costs a stack walk per open. */
        public Builder trackStackTraces(boolean track) {
            this.trackStackTraces = track;
            return this;
        }

        /**
         * How the users of this runtime turn stack tracking on, as the log line of a leaked handle
         * opened without it tells them ({@code "set netns.leak-detection.track-stack-traces=true"});
         * by default it names {@link #trackStackTraces(boolean)}.
         */
        public Builder trackStackTracesHint(String hint) {
            if (hint.isBlank()) {
                throw new IllegalArgumentException("The stack tracking hint is blank");
            }
            this.stackTracesHint = hint;
            return this;
        }

        /**
         * A new runtime with these settings; close it when done.
         *
         * @throws IllegalArgumentException when the run dir is not an absolute path
         */
        public NetnsRuntime build() {
            return new NetnsRuntime(runDirectory, new HandleRegistry(logLeaks, trackStackTraces, stackTracesHint), false);
        }
    }
}
