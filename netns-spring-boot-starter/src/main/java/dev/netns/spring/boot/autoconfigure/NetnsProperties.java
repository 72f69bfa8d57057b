package dev.netns.spring.boot.autoconfigure;

import dev.netns.ExecutorSettings;
import dev.netns.InvalidNamespaceAliasException;
import dev.netns.NamespaceAliases;
import dev.netns.spring.boot.actuate.ReferenceSchemePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of netns, under {@code netns.*}. Invalid values stop the application at start-up
 * with a failure analysis that names the property.
 */
@ConfigurationProperties("netns")
// Longer than this project's usual classes: every netns.* property with the Javadoc that becomes
// its IDE metadata, in nested groups as Spring Boot binds them; the logic is a few checks.
public class NetnsProperties implements InitializingBean {

    /** Whether netns is auto-configured. */
    private boolean enabled = true;

    /** Directory of named network namespaces, shared with iproute2's "ip netns". */
    private Path runDir = Path.of("/run/netns");

    /**
     * Aliases for namespace references, usable wherever a reference is: alias to "name:NAME",
     * "docker:CONTAINER", "pid:PID", "path:/FILE", "thread:PID/TID", "host" or a bare name. An alias may
     * not be "host" or "current" in any case (keywords of references).
     */
    private Map<String, String> namespaces = new LinkedHashMap<>();

    private final Executor executor = new Executor();

    private final Docker docker = new Docker();

    private final LeakDetection leakDetection = new LeakDetection();

    private final Metrics metrics = new Metrics();

    private final Health health = new Health();

    private final Watch watch = new Watch();

    private final Endpoint endpoint = new Endpoint();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Path getRunDir() {
        return runDir;
    }

    public void setRunDir(Path runDir) {
        this.runDir = runDir;
    }

    public Map<String, String> getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(Map<String, String> namespaces) {
        this.namespaces = namespaces;
    }

    public Executor getExecutor() {
        return executor;
    }

    public Docker getDocker() {
        return docker;
    }

    public LeakDetection getLeakDetection() {
        return leakDetection;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Health getHealth() {
        return health;
    }

    public Watch getWatch() {
        return watch;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    /** Checks every value, so a mistake stops start-up with a message naming the property. */
    @Override
    public void afterPropertiesSet() {
        if (!runDir.isAbsolute()) {
            throw new InvalidNetnsPropertyException("netns.run-dir", runDir.toString(), "it must be an absolute path");
        }
        try {
            NamespaceAliases.of(namespaces);
        } catch (InvalidNamespaceAliasException e) {
            throw new InvalidNetnsPropertyException("netns.namespaces." + e.alias(), String.valueOf(e.reference()), e.reason());
        }
        for (String alias : health.requiredAliases) {
            if (!namespaces.containsKey(alias)) {
                throw new InvalidNetnsPropertyException("netns.health.required-aliases", String.join(",", health.requiredAliases),
                        "'" + alias + "' is not an alias of netns.namespaces (" + String.join(", ", namespaces.keySet()) + ")");
            }
        }
        try {
            ReferenceSchemePolicy.normalize(endpoint.referenceSchemes);
        } catch (IllegalArgumentException e) {
            throw new InvalidNetnsPropertyException("netns.endpoint.reference-schemes", String.join(",", endpoint.referenceSchemes),
                    e.getMessage());
        }
        positive("netns.executor.threads-per-namespace", executor.threadsPerNamespace);
        positive("netns.executor.max-threads", executor.maxThreads);
        positive("netns.executor.queue-capacity", executor.queueCapacity);
        positive("netns.executor.keep-alive", executor.keepAlive);
        positive("netns.executor.close-timeout", executor.closeTimeout);
        positive("netns.executor.hung-after", executor.hungAfter);
        positive("netns.docker.connect-timeout", docker.connectTimeout);
        positive("netns.docker.response-timeout", docker.responseTimeout);
    }

    private static void positive(String property, int value) {
        if (value <= 0) {
            throw new InvalidNetnsPropertyException(property, Integer.toString(value), "it must be a positive number");
        }
    }

    private static void positive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidNetnsPropertyException(property, value.toString(), "it must be a positive duration");
        }
    }

    /** The executor settings these properties describe. */
    public ExecutorSettings toExecutorSettings() {
        return new ExecutorSettings(executor.threadsPerNamespace, executor.maxThreads, executor.keepAlive,
                executor.queueCapacity, executor.closeTimeout, executor.hungAfter);
    }

    /** Pinned per-namespace executors. */
    public static class Executor {

        // Literal values, equal to ExecutorSettings.defaults() (a test checks it), so that the
        // generated metadata carries them as defaults.

        /** Most platform threads pinned to one namespace. */
        private int threadsPerNamespace = 2;

        /** Most pinned threads across all namespaces, a hard limit; past it idle threads move to other namespaces, else tasks wait. */
        private int maxThreads = 64;

        /** How long an idle pinned thread lives, and an executor without a task (it then retires and closes its handle). */
        private Duration keepAlive = Duration.ofSeconds(60);

        /** Most tasks waiting per namespace; more are rejected. */
        private int queueCapacity = 10000;

        /** How long closing the executors waits in all for running callbacks (interrupted half way) before naming the stuck threads. */
        private Duration closeTimeout = Duration.ofSeconds(30);

        /** How long a callback may run before it counts as hung (shown, and its thread replaced while others wait). */
        private Duration hungAfter = Duration.ofSeconds(30);

        public Duration getCloseTimeout() {
            return closeTimeout;
        }

        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }

        public Duration getHungAfter() {
            return hungAfter;
        }

        public void setHungAfter(Duration hungAfter) {
            this.hungAfter = hungAfter;
        }

        public int getThreadsPerNamespace() {
            return threadsPerNamespace;
        }

        public void setThreadsPerNamespace(int threadsPerNamespace) {
            this.threadsPerNamespace = threadsPerNamespace;
        }

        public int getMaxThreads() {
            return maxThreads;
        }

        public void setMaxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
        }

        public Duration getKeepAlive() {
            return keepAlive;
        }

        public void setKeepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
        }

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }
    }

    /** Docker container references ("docker:NAME"). */
    public static class Docker {

        /** Whether "docker:" references are resolved through a Docker engine. */
        private boolean enabled = true;

        /** Docker engine address, such as "unix:///var/run/docker.sock"; DOCKER_HOST or the default socket when unset. */
        private @Nullable String host;

        /** How long to wait for a connection to the Docker engine. */
        private Duration connectTimeout = Duration.ofSeconds(2);

        /**
         * How long to wait for the Docker engine to answer a lookup or the health check; the
         * DockerClient the starter makes has no response timeout of its own, as it also carries the
         * event stream.
         */
        private Duration responseTimeout = Duration.ofSeconds(5);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getHost() {
            return host;
        }

        public void setHost(@Nullable String host) {
            this.host = host;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getResponseTimeout() {
            return responseTimeout;
        }

        public void setResponseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
        }
    }

    /** Namespace handles garbage-collected while still open. */
    public static class LeakDetection {

        /** Whether a leaked handle is logged (it is closed and counted either way). */
        private boolean enabled = true;

        /** Whether handles record the stack that opened them, shown in leak logs and the netns endpoint; costs a stack walk per open. */
        private boolean trackStackTraces = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isTrackStackTraces() {
            return trackStackTraces;
        }

        public void setTrackStackTraces(boolean trackStackTraces) {
            this.trackStackTraces = trackStackTraces;
        }
    }

    /** Micrometer meters. */
    public static class Metrics {

        /** Whether netns meters are registered when a MeterRegistry exists. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The netns health indicator. */
    public static class Health {

        /**
         * Aliases whose namespace must resolve and be enterable for netns health to be UP; any other
         * alias that fails shows DOWN in the details only.
         */
        private List<String> requiredAliases = new ArrayList<>();

        public List<String> getRequiredAliases() {
            return requiredAliases;
        }

        public void setRequiredAliases(List<String> requiredAliases) {
            this.requiredAliases = requiredAliases;
        }
    }

    /** Watching the run dir for named namespaces that come and go. */
    public static class Watch {

        /** Whether named namespaces added and deleted in the run dir are published as application events. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The netns Actuator endpoint. */
    public static class Endpoint {

        /**
         * Reference schemes the endpoint's detail (/actuator/netns/{reference}) serves ("name",
         * "docker", "host", "pid", "thread", "path", "current"); the configured aliases are always
         * served, and any other reference is refused (403 over HTTP) before anything is opened. "path",
         * "pid" and "thread" make the application open any file or look into any process's namespace
         * for whoever may call the endpoint: add them only when you trust every caller.
         */
        private List<String> referenceSchemes = new ArrayList<>(ReferenceSchemePolicy.DEFAULT_SCHEMES);

        public List<String> getReferenceSchemes() {
            return referenceSchemes;
        }

        public void setReferenceSchemes(List<String> referenceSchemes) {
            this.referenceSchemes = referenceSchemes;
        }
    }
}
