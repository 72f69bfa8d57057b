package dev.netns.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NetworkInterfaceInfo;
import dev.netns.sample.SampleApplication;
import dev.netns.sample.namespaces.VethLinks;
import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.ApiClient.Response;
import dev.netns.sample.testsupport.SampleNetworks;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.DockerContainers;
import dev.netns.testsupport.IpAddr;
import dev.netns.testsupport.RequiresDocker;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The sample's REST API in the real application on a random port, over real namespaces: create
 * (with a veth pair), list, interfaces, probe, echo round trip, delete; and bad inputs, which must
 * answer with problem details and create nothing.
 */
@EnabledIfNetnsPrivileged
// Closed after the class: a cached context's executors would keep their namespaces (and handles) open.
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApiServerTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @RegisterExtension
    final DockerContainers containers = new DockerContainers();

    private final SampleNetworks net = new SampleNetworks();
    private final List<String> made = new ArrayList<>();

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @AfterEach
    void removeHostEnds() {
        SampleNetworks.removeHostEnds(made);
    }

    private String newName() {
        String name = namespaces.newName();
        made.add(name);
        return name;
    }

    private static String encoded(String reference) {
        return URLEncoder.encode(reference, StandardCharsets.UTF_8);
    }

    @Test
    void createListInterfacesProbeEchoAndDeleteANamespaceWithAVethPair() throws Exception {
        String name = newName();
        String hostEnd = VethLinks.hostEndOf(name);

        Response created = api.post("/api/namespaces", "{\"name\": \"" + name + "\", \"veth\": {\"hostAddress\": \""
                + net.ipv4(1) + "\", \"namespaceAddress\": \"" + net.ipv4(2) + "\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.at("/name")).isEqualTo(name);
        assertThat(created.at("/reference")).isEqualTo("name:" + name);
        assertThat(created.at("/hostInterface")).isEqualTo(hostEnd);
        assertThat(created.at("/namespaceInterface")).isEqualTo("veth0");
        assertThat(Path.of("/run/netns", name)).exists();
        assertThat(SampleNetworks.hostLinkExists(hostEnd)).isTrue();

        JsonNode listed = namedEntry(api.get("/api/namespaces").json(), name);
        assertThat(listed).as("GET /api/namespaces lists %s", name).isNotNull();
        assertThat(listed.get("namespace").asString()).isEqualTo(created.at("/namespace"));
        assertThat(listed.get("hostInterface").asString()).isEqualTo(hostEnd);

        // the interfaces, exactly as ip sees them there; by bare name and by encoded name: reference
        Response interfaces = api.get("/api/namespaces/" + name + "/interfaces");
        assertThat(interfaces.status()).as(interfaces.text()).isEqualTo(200);
        assertThat(describe(interfaces.json().get("interfaces"))).containsExactly(
                "lo UP [127.0.0.1/8, ::1/128]", "veth0 UP [" + net.ipv4(2) + ", fe80::*/64]");
        assertThat(names(interfaces.json().get("interfaces")))
                .isEqualTo(IpAddr.in(name).stream().map(NetworkInterfaceInfo::name).toList());
        assertThat(api.get("/api/namespaces/" + encoded("name:" + name) + "/interfaces").at("/namespace"))
                .isEqualTo(created.at("/namespace"));
        // path: references are served only when the operator allows them (SamplePathReferencesServerTest)
        Response byPath = api.get("/api/namespaces/" + encoded("path:/run/netns/" + name) + "/interfaces");
        assertThat(byPath.status()).as(byPath.text()).isEqualTo(403);

        // nothing listens yet: a probe inside is refused at once
        Response refused = api.post("/api/namespaces/" + name + "/probe", "{\"host\": \"127.0.0.1\", \"port\": 7}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(200);
        assertThat(refused.json().get("connected").asBoolean()).isFalse();
        assertThat(refused.at("/error")).contains("Connection refused");

        Response echo = api.post("/api/namespaces/" + name + "/echo", "{}");
        assertThat(echo.status()).as(echo.text()).isEqualTo(201);
        assertThat(echo.json().get("port").asInt()).isEqualTo(7);
        assertThat(api.post("/api/namespaces/" + name + "/echo", "{}").status()).isEqualTo(409);

        // from inside the namespace, over its loopback
        Response inside = api.post("/api/namespaces/" + name + "/probe",
                "{\"host\": \"127.0.0.1\", \"port\": 7, \"message\": \"ping inside\"}");
        assertThat(inside.json().get("connected").asBoolean()).as(inside.text()).isTrue();
        assertThat(inside.at("/received")).isEqualTo("ping inside");

        // from the host, over the veth pair: the echo server's socket lives in the namespace
        assertThat(echoRoundTrip(net.ipv4Address(2), 7, "hello over the veth")).isEqualTo("hello over the veth");
        Response fromHost = api.post("/api/namespaces/host/probe",
                "{\"host\": \"" + net.ipv4Address(2) + "\", \"port\": 7, \"message\": \"from the host\"}");
        assertThat(fromHost.at("/received")).as(fromHost.text()).isEqualTo("from the host");

        JsonNode withEcho = namedEntry(api.get("/api/namespaces").json(), name);
        assertThat(withEcho.get("echo").get("port").asInt()).isEqualTo(7);
        assertThat(withEcho.get("echo").get("served").asLong()).isGreaterThanOrEqualTo(3);

        assertThat(api.delete("/api/namespaces/" + name + "/echo").status()).isEqualTo(200);
        Response noEcho = api.delete("/api/namespaces/" + name + "/echo");
        assertThat(noEcho.status()).isEqualTo(404);
        assertThat(noEcho.contentType()).startsWith("application/problem+json");

        Response deleted = api.delete("/api/namespaces/" + name);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
        assertThat(Path.of("/run/netns", name)).doesNotExist();
        assertThat(SampleNetworks.hostLinkExists(hostEnd)).isFalse();
        assertThat(namedEntry(api.get("/api/namespaces").json(), name)).isNull();
        assertThat(api.get("/api/namespaces/" + name + "/interfaces").status()).isEqualTo(404);

        // nothing of this JVM was left in a namespace it should not be in
        assertThat(api.get("/actuator/netns").json().get("strayThreads").asLong()).isZero();
    }

    @Test
    void aNamespaceWithoutVethHasLoopbackUpAndIpv6VethAddressesWork() throws Exception {
        String plain = newName();
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + plain + "\"}").status()).isEqualTo(201);
        assertThat(describe(api.get("/api/namespaces/" + plain + "/interfaces").json().get("interfaces")))
                .containsExactly("lo UP [127.0.0.1/8, ::1/128]");
        assertThat(SampleNetworks.hostLinkExists(VethLinks.hostEndOf(plain))).isFalse();

        String six = newName();
        Response created = api.post("/api/namespaces", "{\"name\": \"" + six + "\", \"veth\": {\"hostAddress\": \""
                + net.ipv6(1) + "\", \"namespaceAddress\": \"" + net.ipv6(2) + "\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(describe(api.get("/api/namespaces/" + six + "/interfaces").json().get("interfaces")))
                .containsExactly("lo UP [127.0.0.1/8, ::1/128]", "veth0 UP [" + net.ipv6(2) + ", fe80::*/64]");
        assertThat(api.post("/api/namespaces/" + six + "/echo", "{\"port\": 0}").status()).isEqualTo(201);
        int echoPort = namedEntry(api.get("/api/namespaces").json(), six).get("echo").get("port").asInt();
        assertThat(echoRoundTrip(net.ipv6Address(2), echoPort, "hello v6")).isEqualTo("hello v6");
        // a veth without addresses is fine too
        String bare = newName();
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + bare + "\", \"veth\": {}}").status()).isEqualTo(201);
        assertThat(names(api.get("/api/namespaces/" + bare + "/interfaces").json().get("interfaces")))
                .containsExactly("lo", "veth0");

        for (String name : List.of(plain, six, bare)) {
            assertThat(api.delete("/api/namespaces/" + name).status()).isEqualTo(204);
        }
        assertThat(SampleNetworks.hostLinkExists(VethLinks.hostEndOf(six))).isFalse();
    }

    @Test
    void badInputsAnswerWithProblemDetailsAndCreateNothing() {
        String name = newName();
        String longName = "n".repeat(65);
        // a network the host uses: the one this test gives to a first namespace's veth host end
        String first = newName();
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + first + "\", \"veth\": {\"hostAddress\": \""
                + net.ipv4(1) + "\"}}").status()).isEqualTo(201);
        List<Object[]> cases = new ArrayList<>(List.of(
                new Object[] {"POST", "/api/namespaces", "{}", 400, "name is required"},
                new Object[] {"POST", "/api/namespaces", null, 400, "body is required"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": ", 400, "not the JSON expected"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"a/b\"}", 400, "Invalid namespace name 'a/b'"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"..\"}", 400, "Invalid namespace name"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"-x\"}", 400, "Invalid namespace name"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"\"}", 400, "it is empty"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"" + longName + "\"}", 400, "1 to 64"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"" + name + "\", \"veth\": {\"hostAddress\": \"10.213.1.300/24\"}}",
                        400, "veth.hostAddress"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"" + name + "\", \"veth\": {\"hostAddress\": \"10.213.1.1/33\"}}",
                        400, "prefix length"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"" + name + "\", \"veth\": {\"hostAddress\": \"127.0.0.2/8\"}}",
                        400, "loopback"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"" + name + "\", \"veth\": {\"hostAddress\": \"" + net.ipv4(1)
                        + "\", \"namespaceAddress\": \"" + net.ipv6(2) + "\"}}", 400, "both be IPv4 or both IPv6"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"" + name + "\", \"veth\": {\"namespaceAddress\": \"example.com/24\"}}",
                        400, "not an IP address literal"},
                new Object[] {"DELETE", "/api/namespaces/nt-missing0000", null, 404, "does not exist"},
                new Object[] {"DELETE", "/api/namespaces/pid:1", null, 400, "Only named namespaces"},
                new Object[] {"GET", "/api/namespaces/pid:abc/interfaces", null, 400, "not a positive number"},
                new Object[] {"GET", "/api/namespaces/" + encoded("path:relative") + "/interfaces", null, 400, "must be absolute"},
                new Object[] {"GET", "/api/namespaces/nt-missing0000/interfaces", null, 404, "does not exist"},
                new Object[] {"POST", "/api/namespaces/nt-missing0000/probe", "{\"host\": \"127.0.0.1\", \"port\": 7}", 404, "does not exist"},
                new Object[] {"POST", "/api/namespaces/host/probe", "{\"host\": \"example.com\", \"port\": 7}", 400, "not an IP address literal"},
                new Object[] {"POST", "/api/namespaces/host/probe", "{\"host\": \"127.0.0.1\"}", 400, "port is required"},
                new Object[] {"POST", "/api/namespaces/host/probe", "{\"host\": \"127.0.0.1\", \"port\": 0}", 400, "out of range"},
                new Object[] {"POST", "/api/namespaces/host/probe", "{\"host\": \"127.0.0.1\", \"port\": 70000}", 400, "out of range"},
                new Object[] {"POST", "/api/namespaces/host/probe", "{\"host\": \"127.0.0.1\", \"port\": \"seven\"}", 400, "not the JSON expected"},
                new Object[] {"POST", "/api/namespaces/nt-missing0000/echo", "{}", 404, "does not exist"},
                new Object[] {"POST", "/api/namespaces/host/echo", "{\"port\": 70000}", 400, "out of range"},
                new Object[] {"DELETE", "/api/namespaces/host/echo", null, 404, "No echo server"},
                new Object[] {"POST", "/api/namespaces", "{\"name\": \"" + name + "\", \"veth\": {\"hostAddress\": \""
                        + net.ipv4(5) + "\"}}", 409, "overlaps the host's"}));
        for (Object[] c : cases) {
            String method = (String) c[0];
            String path = (String) c[1];
            String body = (String) c[2];
            Response response = switch (method) {
                case "POST" -> body == null ? api.post(path) : api.post(path, body);
                case "DELETE" -> api.delete(path);
                default -> api.get(path);
            };
            String what = method + " " + path + " " + body + " -> " + response.text();
            assertThat(response.status()).as(what).isEqualTo(c[3]);
            assertThat(response.contentType()).as(what).startsWith("application/problem+json");
            assertThat(response.json().get("status").asInt()).as(what).isEqualTo(c[3]);
            assertThat(response.at("/title")).as(what).isNotBlank();
            assertThat(response.at("/detail")).as(what).contains((String) c[4]);
        }
        assertThat(Path.of("/run/netns", name)).as("no namespace was created").doesNotExist();
        assertThat(SampleNetworks.hostLinkExists(VethLinks.hostEndOf(name))).as("no veth was created").isFalse();
        assertThat(Files.exists(Path.of("/run/netns", "a"))).isFalse();
        assertThat(api.delete("/api/namespaces/" + first).status()).isEqualTo(204);
    }

    @Test
    void aTakenNameIsAConflictAndProbesStayOnLoopbackAndInsideNamespaces() {
        String taken = namespaces.ipNetnsAdd();
        Response conflict = api.post("/api/namespaces", "{\"name\": \"" + taken + "\"}");
        assertThat(conflict.status()).as(conflict.text()).isEqualTo(409);
        assertThat(conflict.at("/title")).isEqualTo("Namespace exists");

        // 198.51.100.7 is neither loopback nor inside a namespace: refused before any packet leaves
        // (and the namespace has no route there anyway)
        Commands.check("ip", "-n", taken, "link", "set", "lo", "up");
        Response refused = api.post("/api/namespaces/" + taken + "/probe", "{\"host\": \"198.51.100.7\", \"port\": 7}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.at("/title")).isEqualTo("Probe target not allowed");
        assertThat(refused.at("/detail")).contains("sample.probe.allowed-networks");

        // an ip-made namespace is an ordinary reference: a probe on its loopback is allowed
        Response allowed = api.post("/api/namespaces/" + taken + "/probe", "{\"host\": \"localhost\", \"port\": 9}");
        assertThat(allowed.status()).as(allowed.text()).isEqualTo(200);
        assertThat(allowed.json().get("connected").asBoolean()).isFalse();
        assertThat(api.delete("/api/namespaces/" + taken).status()).isEqualTo(204);
    }

    @Test
    @RequiresDocker
    void runningContainersAreListedWithTheirInterfaces() {
        String container = DockerContainers.newName();
        containers.run(container);
        Response list = api.get("/api/namespaces");
        assertThat(list.json().at("/containers/available").asBoolean()).as(list.text()).isTrue();
        List<String> references = new ArrayList<>();
        list.json().at("/containers/items").forEach(item -> references.add(item.get("reference").asString()));
        assertThat(references).contains("docker:" + container);

        Response interfaces = api.get("/api/namespaces/" + encoded("docker:" + container) + "/interfaces");
        assertThat(interfaces.status()).as(interfaces.text()).isEqualTo(200);
        assertThat(names(interfaces.json().get("interfaces"))).contains("lo");
        assertThat(api.get("/api/namespaces/" + encoded("docker:nt-missing0000") + "/interfaces").status()).isEqualTo(404);
    }

    // --- helpers ---

    private static JsonNode namedEntry(JsonNode list, String name) {
        for (JsonNode named : list.get("named")) {
            if (named.get("name").asString().equals(name)) {
                return named;
            }
        }
        return null;
    }

    private static List<String> names(JsonNode interfaces) {
        List<String> names = new ArrayList<>();
        interfaces.forEach(link -> names.add(link.get("name").asString()));
        return names;
    }

    /** "name UP|DOWN [address/prefix, ...]" per interface, link-local IPv6 addresses shown as fe80::*. */
    private static List<String> describe(JsonNode interfaces) {
        List<String> lines = new ArrayList<>();
        for (JsonNode link : interfaces) {
            List<String> addresses = new ArrayList<>();
            for (JsonNode address : link.get("addresses")) {
                String text = address.get("address").asString();
                addresses.add((text.startsWith("fe80:") ? "fe80::*" : text) + "/" + address.get("prefixLength").asInt());
            }
            lines.add(link.get("name").asString() + " " + (link.get("up").asBoolean() ? "UP" : "DOWN") + " " + addresses);
        }
        return lines;
    }

    private static String echoRoundTrip(String address, int port, String message) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[message.length()];
            int read = 0;
            while (read < reply.length) {
                int n = in.read(reply, read, reply.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new String(reply, 0, read, StandardCharsets.UTF_8);
        }
    }
}
