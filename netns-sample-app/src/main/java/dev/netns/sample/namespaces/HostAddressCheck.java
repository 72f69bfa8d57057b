package dev.netns.sample.namespaces;

import dev.netns.InterfaceAddressInfo;
import dev.netns.InterfaceSnapshots;
import dev.netns.NamespaceTemplate;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.NsHandle;
import dev.netns.sample.net.Cidr;
import dev.netns.sample.net.IpLiterals;
import java.net.InetAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a veth's host-end address from breaking the host: it must be an ordinary unicast
 * address whose network overlaps none of the host's own, or the new route would take traffic
 * away from the host's links. A conflict suggests a network the host really does not use.
 */
public class HostAddressCheck {

    /** Networks suggested are 10.213.N.0/24, N from 1 up. */
    private static final String SUGGESTED_PREFIX = "10.213.";

    private final NamespaceTemplate template;

    public HostAddressCheck(NamespaceTemplate template) {
        this.template = template;
    }

    /**
     * @throws IllegalArgumentException for a loopback, link-local, multicast or unspecified address, or a /0
     * @throws AddressConflictException when its network overlaps one of the host's
     */
    public void check(Cidr hostAddress) {
        InetAddress address = hostAddress.address();
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()
                || address.isLinkLocalAddress() || hostAddress.prefixLength() == 0) {
            throw new IllegalArgumentException("hostAddress " + hostAddress + " must be a unicast address with a prefix,"
                    + " outside loopback, link-local and multicast ranges");
        }
        Map<Cidr, String> used = new LinkedHashMap<>(); // network -> the host link it is on
        for (NetworkInterfaceInfo link : hostInterfaces()) {
            for (InterfaceAddressInfo existing : link.addresses()) {
                used.putIfAbsent(new Cidr(IpLiterals.parse(existing.address()), existing.prefixLength()), link.name());
            }
        }
        for (Map.Entry<Cidr, String> network : used.entrySet()) {
            if (network.getKey().overlaps(hostAddress)) {
                Cidr free = freeNetwork(used.keySet());
                throw new AddressConflictException("hostAddress " + hostAddress + " overlaps the host's " + network.getKey()
                        + " on " + network.getValue() + ": pick a network the host does not use"
                        + (free != null ? ", such as " + free + " (and " + SUGGESTED_PREFIX + thirdOctet(free)
                                + ".2/24 inside)" : ""));
            }
        }
    }

    /** The first 10.213.N.1/24 whose network overlaps none of the host's, or null when all do. */
    static @Nullable Cidr freeNetwork(Collection<Cidr> used) {
        for (int n = 1; n < 255; n++) {
            Cidr candidate = Cidr.parse(SUGGESTED_PREFIX + n + ".1/24");
            if (used.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        return null;
    }

    private static int thirdOctet(Cidr network) {
        return network.address().getAddress()[2] & 0xff;
    }

    /** Read without an executor: this check runs on every create. */
    private List<NetworkInterfaceInfo> hostInterfaces() {
        try (NsHandle host = template.resolve("host")) {
            return InterfaceSnapshots.of(host);
        }
    }
}
