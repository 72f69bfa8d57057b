package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.internal.Syscalls;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.IpAddr;
import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Netns#interfaces()} against {@code ip -j addr}, field by field, in namespaces the tests
 * build with {@code ip} and in the host's. Addresses are taken from ranges for documentation and
 * testing and live only inside the tests' own namespaces.
 */
@RequiresPrivileges
class NetworkInterfacesTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final NamespaceTemplate template = new NamespaceTemplate();

    @AfterEach
    void closeExecutors() {
        template.executors().close();
    }

    @Test
    void listingInsideANamespaceEqualsIpAddrThereForEveryField() throws Exception {
        String name = namespaces.ipNetnsAdd();
        String peer = namespaces.ipNetnsAdd();
        ip("-n", name, "link", "set", "lo", "up");
        ip("-n", name, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", peer);
        ip("-n", name, "addr", "add", "198.18.10.1/24", "dev", "v0");
        ip("-n", name, "addr", "add", "198.18.10.9/24", "dev", "v0"); // a secondary address
        ip("-n", name, "addr", "add", "198.18.20.1", "peer", "198.18.20.2/32", "dev", "v0"); // point-to-point
        ip("-n", name, "addr", "add", "169.254.7.7/16", "dev", "v0", "scope", "link");
        ip("-n", name, "addr", "add", "fd00:db8:10::1/64", "dev", "v0", "nodad");
        ip("-n", name, "addr", "add", "2001:db8:0:1:0:0:0:1/64", "dev", "v0", "nodad");
        ip("-n", name, "link", "set", "v0", "up");
        ip("-n", peer, "addr", "add", "198.18.10.2/24", "dev", "v1");
        ip("-n", peer, "link", "set", "v1", "up");
        // Both ends in the namespace, left down, with a custom MTU.
        ip("-n", name, "link", "add", "d0", "mtu", "1280", "type", "veth", "peer", "name", "d1");
        ip("-n", name, "addr", "add", "198.18.30.1/16", "dev", "d0");
        ip("-n", name, "addr", "add", "fd00:db8:30::1/64", "dev", "d0", "nodad");

        // The link comes up and gets its IPv6 link-local address asynchronously (linkwatch).
        await().atMost(Duration.ofSeconds(10)).until(() -> byName(IpAddr.in(name), "v0"),
                v0 -> v0.operState().equals("UP") && v0.addresses().stream().anyMatch(a -> a.address().startsWith("fe80::")));

        IpAddr.assertListingEqualsIp(() -> template.interfaces(name), () -> IpAddr.in(name));

        // Not vacuous: the set-up is there, as the records show it.
        List<NetworkInterfaceInfo> listed = template.interfaces(name);
        assertThat(listed).extracting(NetworkInterfaceInfo::name).containsExactlyInAnyOrder("lo", "v0", "d0", "d1");
        assertThat(byName(listed, "lo")).satisfies(lo -> {
            assertThat(lo.index()).isEqualTo(1);
            assertThat(lo.up()).isTrue();
            assertThat(lo.mac()).isEqualTo("00:00:00:00:00:00");
            assertThat(lo.addresses()).containsExactly(
                    new InterfaceAddressInfo("inet", "127.0.0.1", 8, "host", null),
                    new InterfaceAddressInfo("inet6", "::1", 128, "host", null));
        });
        assertThat(byName(listed, "v0")).satisfies(v0 -> {
            assertThat(v0.up()).isTrue();
            assertThat(v0.mtu()).isEqualTo(1500);
            assertThat(v0.mac()).matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
            assertThat(v0.addresses()).contains(
                    new InterfaceAddressInfo("inet", "198.18.10.1", 24, "global", null),
                    new InterfaceAddressInfo("inet", "198.18.10.9", 24, "global", null),
                    new InterfaceAddressInfo("inet", "198.18.20.1", 32, "global", "198.18.20.2"),
                    new InterfaceAddressInfo("inet", "169.254.7.7", 16, "link", null),
                    new InterfaceAddressInfo("inet6", "fd00:db8:10::1", 64, "global", null),
                    new InterfaceAddressInfo("inet6", "2001:db8:0:1::1", 64, "global", null));
            assertThat(v0.addresses()).anySatisfy(address -> {
                assertThat(address.address()).startsWith("fe80::");
                assertThat(address.scope()).isEqualTo("link");
            });
        });
        assertThat(byName(listed, "d0")).satisfies(d0 -> {
            assertThat(d0.up()).isFalse();
            assertThat(d0.lowerUp()).isFalse();
            assertThat(d0.mtu()).isEqualTo(1280);
            assertThat(d0.operState()).isEqualTo("DOWN");
            assertThat(d0.addresses()).containsExactly(
                    new InterfaceAddressInfo("inet", "198.18.30.1", 16, "global", null),
                    new InterfaceAddressInfo("inet6", "fd00:db8:30::1", 64, "global", null));
        });
    }

    @Test
    void hostInterfacesNeverAppearInsideEvenThoughTheHostHasIpv6() throws Exception {
        String name = namespaces.ipNetnsAdd();
        String peer = namespaces.ipNetnsAdd();
        // lo stays down (no ::1), and v0 gets no IPv6 link-local: the namespace has no IPv6 at all.
        ip("-n", name, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", peer);
        ip("-n", name, "link", "set", "v0", "addrgenmode", "none");
        ip("-n", name, "addr", "add", "198.18.40.1/24", "dev", "v0");
        ip("-n", name, "link", "set", "v0", "up");
        ip("-n", peer, "link", "set", "v1", "up");

        Set<String> hostIpv6 = IpAddr.host().stream().flatMap(link -> link.addresses().stream())
                .filter(address -> address.family().equals("inet6")).map(InterfaceAddressInfo::address)
                .collect(Collectors.toSet());
        assertThat(hostIpv6).as("the host's IPv6 addresses, which java.net.NetworkInterface would show inside")
                .isNotEmpty();

        try (NsHandle target = Netns.fromName(name); NsHandle host = Netns.get()) {
            // From a thread that entered the namespace itself, then from a pinned worker born there.
            Callable<List<NetworkInterfaceInfo>> fromMovedThread = () -> OnThread.call(() -> {
                Netns.set(target);
                try {
                    return Netns.interfaces();
                } finally {
                    Netns.set(host);
                }
            });
            IpAddr.assertListingEqualsIp(fromMovedThread, () -> IpAddr.in(name));
            IpAddr.assertListingEqualsIp(() -> template.interfaces(target), () -> IpAddr.in(name));

            List<NetworkInterfaceInfo> listed = fromMovedThread.call();
            assertThat(listed).extracting(NetworkInterfaceInfo::name).containsExactly("lo", "v0");
            List<InterfaceAddressInfo> addresses = listed.stream().flatMap(link -> link.addresses().stream()).toList();
            assertThat(addresses).containsExactly(new InterfaceAddressInfo("inet", "198.18.40.1", 24, "global", null));
            assertThat(addresses).extracting(InterfaceAddressInfo::address).doesNotContainAnyElementsOf(hostIpv6);
        }
    }

    @Test
    void listingTheHostNamespaceFromTheTestThreadEqualsIpAddrOnTheHost() throws Exception {
        IpAddr.assertListingEqualsIp(Netns::interfaces, IpAddr::host);
    }

    @Test
    void theTemplateListsAnotherNamespaceWithoutMovingTheCallerAndListingsLeakNoSocket() throws Exception {
        String name = namespaces.ipNetnsAdd();
        ip("-n", name, "link", "set", "lo", "up");
        NamespaceId callerBefore = Syscalls.idOf("/proc/thread-self/ns/net", null);

        List<NetworkInterfaceInfo> byReference = template.interfaces(name);
        assertThat(byReference).extracting(NetworkInterfaceInfo::name).containsExactly("lo");
        List<NetworkInterfaceInfo> byCallback = template.execute(name, ns -> Netns.interfaces());
        assertThat(byCallback).isEqualTo(byReference);
        try (NsHandle target = Netns.fromName(name)) {
            assertThat(template.interfaces(target)).isEqualTo(byReference);
        }
        assertThat(Syscalls.idOf("/proc/thread-self/ns/net", null)).isEqualTo(callerBefore);

        List<String> fdsBefore = Fds.targets();
        for (int i = 0; i < 200; i++) {
            Netns.interfaces();
            template.interfaces(name);
        }
        assertThat(Fds.addedSince(fdsBefore)).as("fds the listings left open").isEmpty();
    }

    private static NetworkInterfaceInfo byName(List<NetworkInterfaceInfo> interfaces, String name) {
        return interfaces.stream().filter(link -> link.name().equals(name)).findFirst().orElseThrow();
    }

    private static void ip(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "ip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Commands.check(command);
    }
}
