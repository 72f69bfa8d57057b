package dev.netns.sample.api;

import dev.netns.sample.net.Cidr;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/namespaces}: {@code {"name": "blue"}}, or with a veth pair to the
 * host, {@code {"name": "blue", "veth": {"hostAddress": "10.213.1.1/24", "namespaceAddress": "10.213.1.2/24"}}}.
 *
 * @param name the new namespace's name
 * @param veth a veth pair to make, with optional addresses on its ends
 */
public record CreateNamespaceRequest(@Nullable String name, @Nullable Veth veth) {

    /**
     * A veth pair between the host and the new namespace.
     *
     * @param hostAddress the address of the end in the host, {@code ADDRESS/PREFIX}
     * @param namespaceAddress the address of the end inside the namespace ({@code veth0})
     */
    public record Veth(@Nullable String hostAddress, @Nullable String namespaceAddress) {
    }

    String requireName() {
        if (name == null) {
            throw new IllegalArgumentException("name is required: {\"name\": \"blue\"}");
        }
        return name;
    }

    @Nullable Cidr hostAddress() {
        return veth == null ? null : address("veth.hostAddress", veth.hostAddress());
    }

    @Nullable Cidr namespaceAddress() {
        return veth == null ? null : address("veth.namespaceAddress", veth.namespaceAddress());
    }

    /** Checks the addresses together: they must differ and be of one family. */
    void checkAddresses() {
        Cidr host = hostAddress();
        Cidr inside = namespaceAddress();
        if (host != null && inside != null) {
            if (host.isIpv4() != inside.isIpv4()) {
                throw new IllegalArgumentException("veth.hostAddress and veth.namespaceAddress must both be IPv4 or both IPv6");
            }
            if (host.address().equals(inside.address())) {
                throw new IllegalArgumentException("veth.hostAddress and veth.namespaceAddress must differ");
            }
        }
        if (inside != null && (inside.address().isLoopbackAddress() || inside.address().isMulticastAddress()
                || inside.address().isAnyLocalAddress())) {
            throw new IllegalArgumentException("veth.namespaceAddress " + inside + " must be a unicast address outside loopback");
        }
    }

    private static @Nullable Cidr address(String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }
}
