package dev.netns;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A network interface of one namespace with its addresses, as {@link Netns#interfaces()} reads
 * it over rtnetlink. Each component holds what {@code ip -j addr} prints for the interface in that
 * namespace.
 *
 * @param index the interface index ({@code ifindex}); indexes are unique within a namespace only
 * @param name the interface name ({@code ifname})
 * @param up whether the interface is administratively up ({@code IFF_UP}, {@code UP} among
 *        {@code ip}'s flags)
 * @param lowerUp whether its link is up below it, such as a carrier or a veth whose peer is up
 *        ({@code IFF_LOWER_UP}, {@code LOWER_UP} among {@code ip}'s flags)
 * @param mtu the MTU in bytes
 * @param mac the link-layer address as {@code ip} prints it ({@code address}): lowercase hex bytes
 *        joined by colons, such as {@code 02:42:ac:11:00:02}, except for IP tunnels, whose address
 *        is an IP address; {@code null} when the interface has none
 * @param operState the operational state (RFC 2863) as {@code ip} prints it: {@code UNKNOWN},
 *        {@code NOTPRESENT}, {@code DOWN}, {@code LOWERLAYERDOWN}, {@code TESTING}, {@code DORMANT}
 *        or {@code UP}, or the state's number for one newer than these
 * @param addresses its IPv4 and IPv6 addresses in the kernel's order, which is {@code ip}'s
 */
public record NetworkInterfaceInfo(int index, String name, boolean up, boolean lowerUp, int mtu,
        @Nullable String mac, String operState, List<InterfaceAddressInfo> addresses) {

    public NetworkInterfaceInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operState, "operState");
        addresses = List.copyOf(addresses);
    }
}
