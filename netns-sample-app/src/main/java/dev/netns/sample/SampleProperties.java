package dev.netns.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Configuration of the sample application, under {@code sample.*}. */
@ConfigurationProperties("sample")
public class SampleProperties {

    private final Probe probe = new Probe();

    private final Echo echo = new Echo();

    private final Http http = new Http();

    private final Api api = new Api();

    private final Events events = new Events();

    public Probe getProbe() {
        return probe;
    }

    public Http getHttp() {
        return http;
    }

    public Api getApi() {
        return api;
    }

    public Echo getEcho() {
        return echo;
    }

    public Events getEvents() {
        return events;
    }

    /** TCP probes from inside a namespace. */
    public static class Probe {

        /**
         * Networks a probe may reach besides loopback and the addresses inside namespaces, as
         * CIDRs such as "192.0.2.0/24" or "2001:db8::/32".
         */
        private List<String> allowedNetworks = new ArrayList<>();

        /** Longest time a probe waits for the connection, and for the reply to its message. */
        private Duration timeout = Duration.ofSeconds(2);

        public List<String> getAllowedNetworks() {
            return allowedNetworks;
        }

        public void setAllowedNetworks(List<String> allowedNetworks) {
            this.allowedNetworks = allowedNetworks;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** TCP echo servers inside namespaces. */
    public static class Echo {

        /** Most echo servers running at once. */
        private int maxServers = 16;

        /** Most connections one echo server serves at once; more are refused. */
        private int maxConnections = 16;

        /** How long an echo connection may stay idle before it is closed. */
        private Duration idleTimeout = Duration.ofSeconds(60);

        public int getMaxServers() {
            return maxServers;
        }

        public void setMaxServers(int maxServers) {
            this.maxServers = maxServers;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }
    }

    /** Who may talk to the sample over HTTP. */
    public static class Http {

        /**
         * Host names requests may name in their Host header, with the server's port, besides the
         * address the server is bound to; others are refused (DNS rebinding).
         */
        private List<String> allowedHosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "[::1]"));

        /** Largest request body accepted; larger ones are refused with 413. */
        private DataSize maxBodySize = DataSize.ofKilobytes(64);

        public List<String> getAllowedHosts() {
            return allowedHosts;
        }

        public void setAllowedHosts(List<String> allowedHosts) {
            this.allowedHosts = allowedHosts;
        }

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }
    }

    /** The REST API under /api. */
    public static class Api {

        /**
         * Reference schemes the API and /actuator/netns/{reference} serve ("name", "docker", "host",
         * "pid", "thread", "path", "current"); the configured aliases are always served. "path", "pid"
         * and "thread" open files or other processes' namespaces as root: add them only on a machine
         * you trust every caller of.
         */
        private List<String> referenceSchemes = new ArrayList<>(List.of("name", "docker", "host"));

        public List<String> getReferenceSchemes() {
            return referenceSchemes;
        }

        public void setReferenceSchemes(List<String> referenceSchemes) {
            this.referenceSchemes = referenceSchemes;
        }
    }

    /** The stream of named namespaces added and deleted, GET /api/namespaces/events (server-sent events). */
    public static class Events {

        /** Most streams open at once; one more is refused with 503 (the dashboard then polls). */
        private int maxSubscribers = 16;

        /** How often an idle stream gets a comment line, so that a client that went away is noticed. */
        private Duration heartbeat = Duration.ofSeconds(15);

        /** How long one stream stays open; the client then reconnects (EventSource does) and reloads. */
        private Duration timeout = Duration.ofSeconds(1800);

        public int getMaxSubscribers() {
            return maxSubscribers;
        }

        public void setMaxSubscribers(int maxSubscribers) {
            this.maxSubscribers = maxSubscribers;
        }

        public Duration getHeartbeat() {
            return heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
