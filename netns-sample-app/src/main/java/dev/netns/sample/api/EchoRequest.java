package dev.netns.sample.api;

import dev.netns.sample.net.IpLiterals;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST /api/namespaces/{reference}/echo}.
 *
 * @param address the address to listen on inside the namespace; all of its addresses by default
 *     (loopback only in the host namespace)
 * @param port the TCP port, 0 for any free one; 7 (the echo port) by default
 */
public record EchoRequest(@Nullable String address, @Nullable Integer port) {

    /** The echo protocol's port (RFC 862). */
    static final int DEFAULT_PORT = 7;

    @Nullable InetAddress bindAddress() {
        if (address == null || address.isBlank()) {
            return null;
        }
        try {
            return IpLiterals.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("address: " + e.getMessage(), e);
        }
    }

    int portOrDefault() {
        int chosen = port == null ? DEFAULT_PORT : port;
        if (chosen < 0 || chosen > 65535) {
            throw new IllegalArgumentException("port " + chosen + " is out of range (0 to 65535, 0 for any free port)");
        }
        return chosen;
    }
}
