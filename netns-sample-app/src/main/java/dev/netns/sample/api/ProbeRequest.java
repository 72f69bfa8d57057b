package dev.netns.sample.api;

import dev.netns.sample.net.IpLiterals;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/namespaces/{reference}/probe}: {@code {"host": "127.0.0.1", "port": 7}},
 * optionally with a {@code "message"} to send and read back.
 *
 * @param host an IP address literal, or {@code localhost}; names are not looked up
 * @param port the TCP port, 1 to 65535
 * @param message text to send once connected; the reply is read back
 */
public record ProbeRequest(@Nullable String host, @Nullable Integer port, @Nullable String message) {

    InetAddress requireHost() {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required: {\"host\": \"127.0.0.1\", \"port\": 7}");
        }
        if (host.strip().equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        try {
            return IpLiterals.parse(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("host: " + e.getMessage(), e);
        }
    }

    int requirePort() {
        if (port == null) {
            throw new IllegalArgumentException("port is required: {\"host\": \"127.0.0.1\", \"port\": 7}");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1 to 65535)");
        }
        return port;
    }
}
