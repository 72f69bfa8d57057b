package dev.netns.docker;

import com.github.dockerjava.api.DockerClient;
import dev.netns.AmbiguousNamespaceReferenceException;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceResolver;
import dev.netns.NamespaceUnavailableException;
import dev.netns.NetnsException;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.internal.ProcFs;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code docker:ID-PREFIX-OR-NAME} references to the network namespace of a running
 * container, through docker-java (an optional dependency: add
 * {@code com.github.docker-java:docker-java-core} and {@code docker-java-transport-zerodep}).
 *
 * <p>A reference is what {@code docker inspect} accepts: a full id, a name, or an id prefix as
 * long as it matches one container only. The handle opens {@code /proc/PID/ns/net} of the
 * container's main process ({@code State.Pid}); this JVM must see the engine's process ids (run
 * in the host's pid namespace). Its {@linkplain NsHandle#source() source} is {@code docker:NAME}, and it
 * is opened through the resolver's {@link NetnsRuntime} ({@link Builder#runtime}; the default runtime
 * unless given), so it shows in that runtime's {@link NetnsRuntime#openHandles()}.
 *
 * <ul>
 * <li>unknown container: {@link NamespaceNotFoundException}; a container that is not running:
 *   {@link NamespaceNotFoundException} saying so;</li>
 * <li>a prefix of several containers' ids: {@link AmbiguousNamespaceReferenceException} listing them;</li>
 * <li>an empty or malformed reference: {@link IllegalArgumentException}, before any request;</li>
 * <li>the engine cannot be reached or does not answer: {@link NamespaceUnavailableException} within
 *   the connect and response timeouts; the failure is remembered for a while
 *   ({@link Builder#failureMemory}), during which lookups fail at once rather than ask a dead daemon
 *   again.</li>
 * </ul>
 *
 * <p><b>One client.</b> Every request, the container event stream and {@link #ping()} go through
 * one {@link DockerClient}: the one given to {@link #DockerNamespaceResolver(DockerClient)}, or one
 * the resolver makes on first use (and closes with itself). The resolver bounds how long it waits
 * for each request itself; the client it makes has a connect timeout and no response timeout, as
 * a response timeout would also end the event stream when the engine is quiet.
 *
 * <p><b>Caching.</b> Lookups are remembered (reference to container, pid and the process's start
 * time), so a repeated lookup costs a read of {@code /proc/PID/stat} and an open. Every hit checks
 * that the process is still the same one, so a restarted container (new process, new namespace)
 * is looked up afresh. The engine's container events drop entries as containers start, die, are
 * removed, renamed or created, and are passed on to {@linkplain #addInvalidationListener listeners}.
 * While the event stream is down, only full ids are answered from the cache.
 *
 * <p>Close the resolver to end its event stream and its threads. Thread-safe.
 */
public final class DockerNamespaceResolver implements NamespaceResolver, AutoCloseable {

    // Just over 300 lines: a quarter is the public nested Builder (DockerNamespaceResolver.Builder
    // is API). Asking the engine is ContainerLookup's job, opening handles ContainerProcessNamespace's,
    // remembering ContainerCache's, the event stream ContainerEvents', the client DockerConnection's.

    /** The scheme this resolver serves. */
    public static final String SCHEME = "docker";

    /** How long connecting to the engine may take by default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long the engine may take to answer a request by default. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(5);
    /** How long a failure to reach the engine is remembered by default. */
    public static final Duration DEFAULT_FAILURE_MEMORY = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(DockerNamespaceResolver.class);

    private final NetnsRuntime runtime;
    private final DockerConnection connection;
    private final ContainerLookup lookup;
    private final ContainerCache cache = new ContainerCache();
    private final @Nullable ContainerEvents events;
    private volatile boolean closed;

    /** A resolver for the engine at {@code DOCKER_HOST}, or the default socket ({@code unix:///var/run/docker.sock}). */
    public DockerNamespaceResolver() {
        this(builder());
    }

    /** A resolver for the engine at {@code dockerHost} ({@code unix:///path} or {@code tcp://host:port}), whatever {@code DOCKER_HOST} says. */
    public DockerNamespaceResolver(String dockerHost) {
        this(builder().dockerHost(dockerHost));
    }

    /**
     * A resolver that talks through the given client, for its requests, its event stream and
     * {@link #ping()}. The caller keeps owning the client ({@link #close()} leaves it open). The
     * client's own timeouts apply as well as the resolver's bound on each request; a client with a
     * response timeout ends the event stream over TCP whenever the engine is quiet that long (it is
     * reopened on a later lookup), so a client without one suits best.
     */
    public DockerNamespaceResolver(DockerClient client) {
        this(builder().client(client));
    }

    /** A resolver for {@code DOCKER_HOST} (or the default socket) whose handles are opened through {@code runtime}. */
    public DockerNamespaceResolver(NetnsRuntime runtime) {
        this(builder().runtime(runtime));
    }

    /** A resolver talking through {@code client} (which the caller keeps owning) whose handles are opened through {@code runtime}. */
    public DockerNamespaceResolver(NetnsRuntime runtime, DockerClient client) {
        this(builder().runtime(runtime).client(client));
    }

    private DockerNamespaceResolver(Builder builder) {
        this.runtime = builder.runtime;
        Duration requestBound = builder.connectTimeout.plus(builder.responseTimeout).plusSeconds(1);
        DockerClient given = builder.client;
        if (given != null) {
            String engine = builder.dockerHost != null ? builder.dockerHost : "the host of the given DockerClient";
            this.connection = new DockerConnection(engine, () -> given, false, requestBound, builder.failureMemory);
        } else {
            String host = builder.dockerHost;
            Duration connectTimeout = builder.connectTimeout;
            this.connection = new DockerConnection(DockerClients.describe(host), () -> DockerClients.create(host, connectTimeout),
                    true, requestBound, builder.failureMemory);
        }
        this.lookup = new ContainerLookup(connection);
        this.events = builder.events
                ? new ContainerEvents(connection, cache::onContainerEvent, builder.failureMemory, builder.connectTimeout)
                : null;
    }

    /** A builder for a resolver with other timeouts, another engine, or no event stream. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME);
    }

    /**
     * Opens the network namespace of the running container a {@code docker:} reference names.
     *
     * @throws IllegalArgumentException for a reference of another scheme
     * @throws IllegalStateException once closed
     */
    @Override
    public NsHandle resolve(NamespaceReference reference) {
        if (!SCHEME.equals(reference.scheme())) {
            throw new IllegalArgumentException("DockerNamespaceResolver serves docker: references, not '" + reference + "'");
        }
        if (closed) {
            throw new IllegalStateException("This DockerNamespaceResolver is closed");
        }
        String key = reference.value().startsWith("/") ? reference.value().substring(1) : reference.value();
        if (events != null) {
            events.ensureRunning();
        }
        ContainerCache.Entry cached = cache.get(key);
        if (cached != null && (ContainerCache.isFullId(key) || trusted(cached))) {
            NsHandle handle = ContainerProcessNamespace.open(runtime, cached.pid(), cached.startTime(), cached.containerId(),
                    cached.name(), null);
            if (handle != null) {
                return handle;
            }
            cache.invalidate(cached.containerId(), cached.name(), "process-gone", true);
        }
        for (int attempt = 1; ; attempt++) {
            NsHandle handle = lookUp(key);
            if (handle != null) {
                return handle;
            }
            // The process named by the engine ended (the container stopped or restarted) while
            // it was looked up: ask once more, then give up.
            if (attempt == 2) {
                throw new NamespaceNotFoundException("Container '" + key + "' at " + connection.description()
                        + " changed its process twice while it was looked up: it is stopping or restarting");
            }
        }
    }

    /** Parses and resolves a {@code docker:} reference, or a bare container id, prefix or name. */
    @Override
    public NsHandle resolve(String reference) {
        Objects.requireNonNull(reference, "reference");
        return resolve(reference.strip().toLowerCase(Locale.ROOT).startsWith(SCHEME + ":")
                ? NamespaceReference.parse(reference)
                : new NamespaceReference(SCHEME, reference));
    }

    /**
     * Checks that the engine answers, through the resolver's client and within its bound on a
     * request, as a health check would. Not reaching it is remembered like a lookup's failure:
     * during {@link Builder#failureMemory} this fails at once, and so do lookups.
     *
     * @throws NamespaceUnavailableException saying why the engine does not answer
     * @throws IllegalStateException once closed
     */
    public void ping() {
        connection.call("ping the Docker engine", client -> client.pingCmd().exec());
    }

    /** Tells {@code listener} about containers whose namespace is no longer valid. */
    public void addInvalidationListener(ContainerInvalidationListener listener) {
        cache.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener}. */
    public void removeInvalidationListener(ContainerInvalidationListener listener) {
        cache.removeListener(listener);
    }

    /** Whether the engine's container events are being watched now (else lookups rely on process checks alone). */
    public boolean watchingEvents() {
        return events != null && events.live();
    }

    /** Ends the event stream and the resolver's threads, and closes the client if the resolver made it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (events != null) {
            events.close();
        }
        connection.close();
        cache.clear();
    }

    private boolean trusted(ContainerCache.Entry entry) {
        return events != null && events.live() && entry.epoch() == events.epoch();
    }

    /** Asks the engine and opens the container's namespace; null when its process changed meanwhile. */
    private @Nullable NsHandle lookUp(String key) {
        long changes = cache.changes();
        long epoch = events != null ? events.epoch() : 0;
        ContainerLookup.RunningContainer container = lookup.find(key);
        long startTime = ProcFs.startTime(container.pid());
        if (startTime < 0) {
            return null;
        }
        NsHandle handle = ContainerProcessNamespace.open(runtime, container.pid(), startTime, container.id(), container.name(),
                container.shown() + ", process " + container.pid());
        if (handle == null) {
            return null;
        }
        cache.put(new ContainerCache.Entry(container.id(), container.name(), container.pid(), startTime,
                Objects.requireNonNull(handle.id()), epoch), changes, key, container.id(), container.name());
        log.debug("{} runs as process {} in {}", container.shown(), container.pid(), handle);
        return handle;
    }

    /** Settings for a {@link DockerNamespaceResolver}. */
    public static final class Builder {

        private NetnsRuntime runtime = NetnsRuntime.defaultRuntime();
        private @Nullable String dockerHost;
        private @Nullable DockerClient client;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private Duration failureMemory = DEFAULT_FAILURE_MEMORY;
        private boolean events = true;

        private Builder() {
        }

        /** The runtime handles are opened through (default: {@link NetnsRuntime#defaultRuntime()}). */
        public Builder runtime(NetnsRuntime runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            return this;
        }

        /**
         * The engine to talk to ({@code unix:///path}, {@code tcp://host:port}), instead of
         * {@code DOCKER_HOST} or the default socket. With a {@linkplain #client client} of your own,
         * which talks to the engine it was made for, this only names that engine in messages.
         */
        public Builder dockerHost(@Nullable String host) {
            if (host != null && host.isBlank()) {
                throw new IllegalArgumentException("The Docker host is blank");
            }
            this.dockerHost = host;
            return this;
        }

        /**
         * A client of your own to talk through, for requests and the event stream (you keep owning
         * it); the timeouts here bound how long the resolver waits for it.
         */
        public Builder client(@Nullable DockerClient client) {
            this.client = client;
            return this;
        }

        /** How long connecting to the engine may take (default 2 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * How long the engine may take to answer one request (default 5 s), enforced by the resolver
         * rather than the client; the event stream has no such limit.
         */
        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = positive(timeout, "responseTimeout");
            return this;
        }

        /** How long lookups fail at once after the engine could not be reached (default 2 s; zero asks every time). */
        public Builder failureMemory(Duration memory) {
            if (memory.isNegative()) {
                throw new IllegalArgumentException("failureMemory must not be negative: " + memory);
            }
            this.failureMemory = memory;
            return this;
        }

        /**
         * Whether to watch the engine's container events (default true). Without them, cache hits
         * are checked against the container's process only, and only full ids are answered from the cache.
         */
        public Builder events(boolean watch) {
            this.events = watch;
            return this;
        }

        public DockerNamespaceResolver build() {
            return new DockerNamespaceResolver(this);
        }

        private static Duration positive(Duration duration, String what) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
