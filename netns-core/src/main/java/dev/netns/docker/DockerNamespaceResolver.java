package dev.netns.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
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
 * <li>the engine cannot be reached: {@link NamespaceUnavailableException} within the connect and
 *   response timeouts; the failure is remembered for a while ({@link Builder#failureMemory}), during
 *   which lookups fail at once rather than ask a dead daemon again.</li>
 * </ul>
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

    /** The scheme this resolver serves. */
    public static final String SCHEME = "docker";

    /** How long connecting to the engine may take by default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long the engine may take to answer a request by default. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(5);
    /** How long a failure to reach the engine is remembered by default. */
    public static final Duration DEFAULT_FAILURE_MEMORY = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(DockerNamespaceResolver.class);
    private static final int MAX_LISTED = 10;

    private final NetnsRuntime runtime;
    private final DockerConnection connection;
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
     * A resolver that talks through the given client, for its requests and its event stream. The
     * client's own timeouts apply; the caller keeps owning it ({@link #close()} leaves it open).
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
            this.connection = new DockerConnection("the Docker daemon of the given DockerClient", () -> given, () -> given,
                    false, requestBound, builder.failureMemory);
        } else {
            String host = builder.dockerHost;
            this.connection = new DockerConnection(describeHost(host),
                    () -> newClient(host, builder.connectTimeout, builder.responseTimeout),
                    () -> newClient(host, builder.connectTimeout, null), true, requestBound, builder.failureMemory);
        }
        this.events = builder.events
                ? new ContainerEvents(connection, this::onEvent, builder.failureMemory, builder.connectTimeout)
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
            NsHandle handle = openIfSameProcess(cached);
            if (handle != null) {
                return handle;
            }
            cache.invalidate(cached.containerId(), cached.name(), "process-gone", true);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return lookUp(key);
            } catch (ProcessChanged e) {
                // The process named by the engine ended (the container stopped or restarted)
                // while it was looked up: ask once more, then give up.
                if (attempt == 2) {
                    throw new NamespaceNotFoundException("Container '" + key + "' at " + connection.description()
                            + " changed its process twice while it was looked up: it is stopping or restarting");
                }
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

    /** Ends the event stream and the resolver's threads, and closes the clients it made. Idempotent. */
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

    private NsHandle lookUp(String key) {
        long changes = cache.changes();
        long epoch = events != null ? events.epoch() : 0;
        InspectContainerResponse container = inspect(key);
        String id = container.getId();
        String name = stripSlash(container.getName());
        String shown = "Container '" + (name.isEmpty() ? key : name) + "' (" + shortId(id) + ")";
        InspectContainerResponse.ContainerState state = container.getState();
        Long pid = state != null ? state.getPidLong() : null;
        if (state == null || !Boolean.TRUE.equals(state.getRunning()) || pid == null || pid <= 0) {
            throw new NamespaceNotFoundException(shown + " is not running (status: "
                    + (state != null ? state.getStatus() : "unknown") + "): it has no network namespace");
        }
        int processId = pid.intValue();
        long startTime = ProcFs.startTime(processId);
        if (startTime < 0) {
            throw new ProcessChanged();
        }
        NsHandle handle;
        try {
            handle = runtime.open("/proc/" + processId + "/ns/net", SCHEME + ":" + (name.isEmpty() ? id : name),
                    shown + ", process " + processId);
        } catch (NamespaceNotFoundException e) {
            throw new ProcessChanged();
        }
        if (ProcFs.startTime(processId) != startTime) {
            handle.close(); // the pid was reused between the look and the open
            throw new ProcessChanged();
        }
        cache.put(new ContainerCache.Entry(id, name, processId, startTime, Objects.requireNonNull(handle.id()), epoch),
                changes, key, id, name);
        log.debug("{} runs as process {} in {}", shown, processId, handle);
        return handle;
    }

    private @Nullable NsHandle openIfSameProcess(ContainerCache.Entry entry) {
        if (ProcFs.startTime(entry.pid()) != entry.startTime()) {
            return null;
        }
        NsHandle handle;
        try {
            handle = runtime.open("/proc/" + entry.pid() + "/ns/net",
                    SCHEME + ":" + (entry.name().isEmpty() ? entry.containerId() : entry.name()));
        } catch (NamespaceNotFoundException e) {
            return null;
        }
        if (ProcFs.startTime(entry.pid()) != entry.startTime()) {
            handle.close();
            return null;
        }
        return handle;
    }

    private InspectContainerResponse inspect(String key) {
        try {
            return connection.call("inspect container '" + key + "'", client -> client.inspectContainerCmd(key).exec());
        } catch (NotFoundException e) {
            throw new NamespaceNotFoundException("No container '" + key + "' at " + connection.description()
                    + " (no id, name or id prefix matches)", e);
        } catch (DockerException e) {
            String message = String.valueOf(e.getMessage());
            if (message.toLowerCase(Locale.ROOT).contains("multiple ids found")) {
                throw ambiguous(key, e);
            }
            if (e.getHttpStatus() >= 500) {
                throw new NamespaceUnavailableException("The Docker daemon at " + connection.description()
                        + " failed to inspect container '" + key + "' (HTTP " + e.getHttpStatus() + "): " + message.strip(), e);
            }
            throw new NetnsException("The Docker daemon at " + connection.description() + " refused to inspect container '"
                    + key + "' (HTTP " + e.getHttpStatus() + "): " + message.strip(), e);
        }
    }

    private AmbiguousNamespaceReferenceException ambiguous(String prefix, DockerException cause) {
        String matches;
        try {
            List<Container> containers = connection.call("list containers",
                    client -> client.listContainersCmd().withShowAll(true).exec());
            List<String> found = containers.stream()
                    .filter(c -> c.getId() != null && c.getId().startsWith(prefix))
                    .map(c -> c.getId() + namesOf(c))
                    .sorted()
                    .toList();
            matches = found.size() + " containers: " + found.stream().limit(MAX_LISTED).collect(Collectors.joining(", "))
                    + (found.size() > MAX_LISTED ? ", and " + (found.size() - MAX_LISTED) + " more" : "");
        } catch (RuntimeException e) {
            matches = "several containers (listing them failed: " + e.getMessage() + ")";
        }
        return new AmbiguousNamespaceReferenceException("Container id prefix '" + prefix + "' at " + connection.description()
                + " is ambiguous: it matches " + matches + "; give more of the id, or the name", cause);
    }

    private static String namesOf(Container container) {
        String[] names = container.getNames();
        if (names == null || names.length == 0) {
            return "";
        }
        return " (" + Arrays.stream(names).map(DockerNamespaceResolver::stripSlash)
                .collect(Collectors.joining(", ")) + ")";
    }

    private void onEvent(Event event) {
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        String id = event.getActor() != null && event.getActor().getId() != null ? event.getActor().getId() : event.getId();
        if (action == null || id == null) {
            return;
        }
        Map<String, String> attributes = event.getActor() != null ? event.getActor().getAttributes() : null;
        String name = attributes != null && attributes.get("name") != null ? stripSlash(attributes.get("name")) : "";
        switch (action) {
            case "create":
                cache.forgetNamesAndPrefixes();
                break;
            case "start":
            case "rename":
                cache.invalidate(id, name, action, false);
                break;
            case "die":
            case "destroy":
                cache.invalidate(id, name, action, true);
                break;
            default:
                break;
        }
    }

    private static DockerClient newClient(@Nullable String host, Duration connectTimeout, @Nullable Duration responseTimeout) {
        DockerClientConfig config = config(host);
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(connectTimeout);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    private static DockerClientConfig config(@Nullable String host) {
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (host != null) {
            config.withDockerHost(host);
        }
        return config.build();
    }

    private static String describeHost(@Nullable String host) {
        if (host != null) {
            return host;
        }
        try {
            return config(null).getDockerHost().toString();
        } catch (RuntimeException e) {
            String env = System.getenv("DOCKER_HOST");
            return env != null ? env : "the default Docker host";
        }
    }

    private static String stripSlash(@Nullable String name) {
        if (name == null) {
            return "";
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The container's process changed while it was looked up; looked up once more. */
    private static final class ProcessChanged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProcessChanged() {
            super("container process changed during lookup", null, false, false);
        }
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

        /** The engine to talk to ({@code unix:///path}, {@code tcp://host:port}), instead of {@code DOCKER_HOST} or the default socket. */
        public Builder dockerHost(@Nullable String host) {
            if (host != null && host.isBlank()) {
                throw new IllegalArgumentException("The Docker host is blank");
            }
            this.dockerHost = host;
            return this;
        }

        /** A client of your own to talk through (its timeouts apply; you keep owning it); the host and timeouts here are then unused. */
        public Builder client(@Nullable DockerClient client) {
            this.client = client;
            return this;
        }

        /** How long connecting to the engine may take (default 2 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long the engine may take to answer one request (default 5 s); the event stream has no such limit. */
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
