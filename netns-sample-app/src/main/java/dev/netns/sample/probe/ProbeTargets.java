package dev.netns.sample.probe;

import dev.netns.InterfaceAddressInfo;
import dev.netns.InterfaceSnapshots;
import dev.netns.NamespaceTemplate;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.NsHandle;
import dev.netns.sample.namespaces.VethLinks;
import dev.netns.sample.net.Cidr;
import dev.netns.sample.net.IpLiterals;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Where a probe may connect: loopback, an address inside the probing namespace, the host end of a
 * veth pair this sample made or an address inside a namespace at its other end, and the networks
 * of {@code sample.probe.allowed-networks}. Anything else is refused before a packet is sent, so
 * the sample cannot be turned into a scanner of the networks around the machine. The check looks
 * only into the namespaces a probe could reach (the probing one and those the sample linked to
 * the host), without pinning an executor to any, and the refusal names no namespace: its cost
 * does not grow with the namespaces other tools made.
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
        List<NetworkInterfaceInfo> hostLinks = interfaces("host");
        if (hasAddress(interfaces(reference), link -> true, target)
                || hasAddress(hostLinks, link -> link.name().startsWith(VethLinks.HOST_PREFIX), target)
                || inLinkedNamespace(target, hostLinks)) {
            return;
        }
        throw new ProbeNotAllowedException("A probe may reach loopback, the addresses inside the probing namespace, the"
                + " host ends of the sample's veth pairs and the namespaces at their other ends; "
                + target.getHostAddress() + " is none of them. To allow it, add its network to"
                + " sample.probe.allowed-networks");
    }

    /** Looks in the named namespaces whose veth pair to the host the sample made. */
    private boolean inLinkedNamespace(InetAddress target, List<NetworkInterfaceInfo> hostLinks) {
        Set<String> hostNames = hostLinks.stream().map(NetworkInterfaceInfo::name).collect(Collectors.toSet());
        for (String name : template.runtime().listNamed()) {
            if (!hostNames.contains(VethLinks.hostEndOf(name))) {
                continue;
            }
            try {
                if (hasAddress(interfaces("name:" + name), link -> true, target)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // deleted meanwhile, or a stale name: it has no addresses
            }
        }
        return false;
    }

    private List<NetworkInterfaceInfo> interfaces(String reference) {
        try (NsHandle ns = template.resolve(reference)) {
            return InterfaceSnapshots.of(ns);
        }
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
