package dev.netns.sample.probe;

import dev.netns.InterfaceAddressInfo;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.sample.namespaces.VethLinks;
import dev.netns.sample.net.Cidr;
import dev.netns.sample.net.IpLiterals;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Predicate;

/**
 * Where a probe may connect: loopback, an address on an interface inside the probing namespace
 * or inside a named namespace, the host end of a veth pair this sample made, and the networks of
 * {@code sample.probe.allowed-networks}. Anything else is refused before a packet is sent, so the
 * sample cannot be turned into a scanner of the networks around the machine.
 */
public class ProbeTargets {

    private final NamespaceTemplate template;
    private final List<Cidr> allowedNetworks;

    public ProbeTargets(NamespaceTemplate template, List<String> allowedNetworks) {
        this.template = template;
        this.allowedNetworks = allowedNetworks.stream().map(Cidr::parse).toList();
    }

    /**
     * @throws ProbeNotAllowedException when the target is none of the allowed ones
     */
    public void check(String reference, InetAddress target) {
        if (target.isLoopbackAddress()) {
            return;
        }
        if (allowedNetworks.stream().anyMatch(network -> network.contains(target))) {
            return;
        }
        List<NetworkInterfaceInfo> hostLinks = template.interfaces("host");
        if (hasAddress(template.interfaces(reference), link -> true, target)
                || hasAddress(hostLinks, link -> link.name().startsWith(VethLinks.HOST_PREFIX), target)
                || inNamedNamespace(target, hostLinks)) {
            return;
        }
        throw new ProbeNotAllowedException("A probe may reach loopback, the addresses inside namespaces and the host ends"
                + " of the sample's veth pairs; " + target.getHostAddress() + " is none of them. To allow it, add its"
                + " network to sample.probe.allowed-networks");
    }

    /** Looks in the sample's own namespaces (those with its veth pair) first, then in the others. */
    private boolean inNamedNamespace(InetAddress target, List<NetworkInterfaceInfo> hostLinks) {
        Set<String> hostNames = hostLinks.stream().map(NetworkInterfaceInfo::name).collect(Collectors.toSet());
        List<String> names = new ArrayList<>(Netns.listNamed());
        names.sort(Comparator.comparing(name -> !hostNames.contains(VethLinks.hostEndOf(name))));
        for (String name : names) {
            try {
                if (hasAddress(template.interfaces("name:" + name), link -> true, target)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // deleted meanwhile, or a stale name: it has no addresses
            }
        }
        return false;
    }

    private static boolean hasAddress(List<NetworkInterfaceInfo> links, Predicate<NetworkInterfaceInfo> which,
            InetAddress target) {
        for (NetworkInterfaceInfo link : links) {
            if (!which.test(link)) {
                continue;
            }
            for (InterfaceAddressInfo address : link.addresses()) {
                if (IpLiterals.parse(address.address()).equals(target)) {
                    return true;
                }
            }
        }
        return false;
    }
}
