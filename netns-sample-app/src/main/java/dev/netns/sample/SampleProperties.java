package dev.netns.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Configuration of the sample application, under {@code sample.*}. */
@ConfigurationProperties("sample")
public class SampleProperties {

    private final Probe probe = new Probe();

    private final Echo echo = new Echo();

    public Probe getProbe() {
        return probe;
    }

    public Echo getEcho() {
        return echo;
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
}
