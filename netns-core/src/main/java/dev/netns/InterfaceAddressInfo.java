package dev.netns;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One IPv4 or IPv6 address of a {@link NetworkInterfaceInfo}, with what {@code ip -j addr}
 * prints for it.
 *
 * @param family {@code "inet"} (IPv4) or {@code "inet6"} (IPv6)
 * @param address the interface's own address ({@code local}) in the C library's text form, as
 *        {@code ip} prints it: dotted quad, or IPv6 compressed and lowercase ({@code fe80::1})
 * @param prefixLength the prefix length ({@code prefixlen}); for a point-to-point address it
 *        belongs to the peer
 * @param scope the scope as {@code ip} names it: {@code global}, {@code site}, {@code link},
 *        {@code host} or {@code nowhere}, or the scope's number for any other
 * @param peer the other end of a point-to-point address ({@code ip addr add A peer B}), printed
 *        as {@code address} by {@code ip}; {@code null} for an ordinary address
 */
public record InterfaceAddressInfo(String family, String address, int prefixLength, String scope,
        @Nullable String peer) {

    public InterfaceAddressInfo {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(scope, "scope");
    }
}
