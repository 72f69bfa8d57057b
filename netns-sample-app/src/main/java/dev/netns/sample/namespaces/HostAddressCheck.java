package dev.netns.sample.namespaces;

import dev.netns.InterfaceAddressInfo;
import dev.netns.NamespaceTemplate;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.sample.net.Cidr;
import dev.netns.sample.net.IpLiterals;
import java.net.InetAddress;

/**
 * Keeps a veth's host-end address from breaking the host: it must be an ordinary unicast
 * address whose network overlaps none of the host's own, or the new route would take traffic
 * away from the host's links.
 */
public class HostAddressCheck {

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
        for (NetworkInterfaceInfo link : template.interfaces("host")) {
            for (InterfaceAddressInfo existing : link.addresses()) {
                Cidr network = new Cidr(IpLiterals.parse(existing.address()), existing.prefixLength());
                if (network.overlaps(hostAddress)) {
                    throw new AddressConflictException("hostAddress " + hostAddress + " overlaps the host's " + network
                            + " on " + link.name() + ": pick a network the host does not use, such as 10.213.1.1/24");
                }
            }
        }
    }
}
