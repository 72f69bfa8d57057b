package dev.netns.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.InterfaceAddressInfo;
import dev.netns.NetworkInterfaceInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code ip -j addr} prints, as the records the library lists, so that a listing compares
 * with {@code ip}'s in one {@code isEqualTo}.
 */
public final class IpAddr {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ATTEMPTS = 10;

    private IpAddr() {
    }

    /** {@code ip -j addr} in this JVM's own namespace. */
    public static List<NetworkInterfaceInfo> host() {
        return parse(ip("-j", "addr"));
    }

    /** {@code ip -n NAME -j addr}. */
    public static List<NetworkInterfaceInfo> in(String namespace) {
        return parse(ip("-n", namespace, "-j", "addr"));
    }

    /**
     * Asserts that a listing equals what {@code ip} prints. Interfaces come and go meanwhile (other
     * test runs add veths to the host, links settle after coming up), so {@code ip} is read right
     * before and right after the listing, and the comparison is retried until those two agree and
     * the listing equals them, a few times at most; a listing that never does fails.
     */
    public static void assertListingEqualsIp(Callable<List<NetworkInterfaceInfo>> listing,
            Callable<List<NetworkInterfaceInfo>> ip) throws Exception {
        List<NetworkInterfaceInfo> before = null;
        List<NetworkInterfaceInfo> listed = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                before = ip.call();
                listed = listing.call();
                List<NetworkInterfaceInfo> after = ip.call();
                if (before.equals(after) && listed.equals(before)) {
                    return;
                }
            } catch (IpFailedException e) {
                // ip gives up when the kernel flags its dump as interrupted by a change: read again
            }
            Thread.sleep(50L * attempt);
        }
        assertThat(before).as("no reading of ip succeeded").isNotNull();
        assertThat(listed).as("the listing, against ip's last reading").isEqualTo(before);
    }

    /** Parses {@code ip -j addr} output. */
    public static List<NetworkInterfaceInfo> parse(String json) {
        List<NetworkInterfaceInfo> interfaces = new ArrayList<>();
        for (JsonNode link : JSON.readTree(json)) {
            List<String> flags = new ArrayList<>();
            link.path("flags").forEach(flag -> flags.add(flag.asString()));
            List<InterfaceAddressInfo> addresses = new ArrayList<>();
            for (JsonNode address : link.path("addr_info")) {
                addresses.add(new InterfaceAddressInfo(address.get("family").asString(), address.get("local").asString(),
                        address.get("prefixlen").asInt(), address.get("scope").asString(), text(address, "address")));
            }
            interfaces.add(new NetworkInterfaceInfo(link.get("ifindex").asInt(), link.get("ifname").asString(),
                    flags.contains("UP"), flags.contains("LOWER_UP"), link.get("mtu").asInt(), text(link, "address"),
                    link.has("operstate") ? link.get("operstate").asString() : link.path("operstate_index").asString(),
                    addresses));
        }
        return interfaces;
    }

    /** {@code ip} exited with an error. */
    public static final class IpFailedException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        IpFailedException(String message) {
            super(message);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asString() : null;
    }

    /** Runs {@code ip} and returns its standard output alone (warnings on stderr would break the JSON). */
    private static String ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IpFailedException(String.join(" ", command) + " exited " + process.exitValue() + ": " + errors);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
