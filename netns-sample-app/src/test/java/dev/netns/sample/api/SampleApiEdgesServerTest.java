package dev.netns.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.SampleApplication;
import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.ApiClient.Response;
import dev.netns.sample.testsupport.SampleNetworks;
import dev.netns.sample.net.Cidr;
import dev.netns.testsupport.Commands;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The sample's API attacked at its edges, in the real application on a random port over real
 * namespaces: foreign hosts and cross-origin writes, references the API must not serve, odd
 * bodies, taken names with veths, refused probes and listings that must leave nothing behind.
 */
@EnabledIfNetnsPrivileged
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApiEdgesServerTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

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

    @Test
    void aForeignHostIsRefusedEvenWithAMatchingOrigin() {
        String name = newName();
        String body = "{\"name\": \"" + name + "\"}";
        Response rebound = api.raw("POST", "/api/namespaces", Map.of("Host", "attacker.example:" + port, "Origin",
                "http://attacker.example:" + port, "Content-Type", "application/json"), body);
        assertThat(rebound.status()).as(rebound.text()).isEqualTo(403);
        assertThat(rebound.contentType()).startsWith("application/problem+json");
        assertThat(rebound.at("/title")).isEqualTo("Host not allowed");
        assertThat(rebound.at("/detail")).contains("attacker.example", "sample.http.allowed-hosts");
        assertThat(Path.of("/run/netns", name)).doesNotExist();
        assertThat(api.raw("GET", "/api/namespaces", Map.of("Host", "attacker.example:" + port), "").status()).isEqualTo(403);
        assertThat(api.raw("GET", "/", Map.of("Host", "attacker.example"), "").status()).isEqualTo(403);
        assertThat(api.raw("GET", "/api/namespaces", Map.of("Host", "127.0.0.1:" + (port == 1 ? 2 : port - 1)), "").status())
                .as("the right name on another port").isEqualTo(403);
        // the default names, with the server's port
        for (String host : List.of("127.0.0.1", "localhost", "LOCALHOST", "[::1]")) {
            assertThat(api.raw("GET", "/api/namespaces", Map.of("Host", host + ":" + port), "").status()).as(host).isEqualTo(200);
        }
        Response fromLocalhost = api.raw("POST", "/api/namespaces", Map.of("Host", "localhost:" + port, "Origin",
                "http://localhost:" + port, "Content-Type", "application/json"), body);
        assertThat(fromLocalhost.status()).as(fromLocalhost.text()).isEqualTo(201);
        assertThat(api.delete("/api/namespaces/" + name).status()).isEqualTo(204);
    }

    @Test
    void everyWriteNeedsTheSamplesOwnOrigin() {
        String name = newName();
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + name + "\"}").status()).isEqualTo(201);
        // a body-less cross-origin POST needs no preflight in a browser: the classic CSRF
        Response csrf = api.send("POST", "/api/namespaces/" + name + "/echo", Map.of("Origin", "http://evil.example"),
                HttpRequest.BodyPublishers.noBody());
        assertThat(csrf.status()).as(csrf.text()).isEqualTo(403);
        assertThat(csrf.at("/title")).isEqualTo("Cross-origin request refused");
        Response noOrigin = api.send("POST", "/api/namespaces/" + name + "/echo", Map.of(), HttpRequest.BodyPublishers.noBody());
        assertThat(noOrigin.status()).as(noOrigin.text()).isEqualTo(403);
        assertThat(noOrigin.at("/detail")).contains("Origin: http://127.0.0.1:" + port);
        Response nullOrigin = api.send("DELETE", "/api/namespaces/" + name, Map.of("Origin", "null"),
                HttpRequest.BodyPublishers.noBody());
        assertThat(nullOrigin.status()).isEqualTo(403);
        assertThat(namedEntry(name).hasNonNull("echo")).as("no echo server was started").isFalse();
        assertThat(Path.of("/run/netns", name)).as("nothing was deleted").exists();
        // reads need no Origin
        assertThat(api.get("/api/namespaces/" + name + "/interfaces").status()).isEqualTo(200);
        assertThat(api.post("/api/namespaces/" + name + "/echo").status()).isEqualTo(201);
        assertThat(api.delete("/api/namespaces/" + name).status()).isEqualTo(204);
    }

    @Test
    void pathPidAndThreadReferencesAreNotServedAndEachRefusalIsOneLogLine(CapturedOutput output) {
        String name = namespaces.ipNetnsAdd();
        long pid = ProcessHandle.current().pid();
        int before = output.getAll().length();
        for (String reference : List.of("path:/run/netns/" + name, "path:/etc/shadow", "pid:" + pid, "thread:" + pid + "/" + pid,
                "current")) {
            String encoded = URLEncoder.encode(reference, StandardCharsets.UTF_8);
            for (Response refused : List.of(api.get("/api/namespaces/" + encoded + "/interfaces"),
                    api.post("/api/namespaces/" + encoded + "/probe", "{\"host\": \"127.0.0.1\", \"port\": 7}"),
                    api.post("/api/namespaces/" + encoded + "/echo", "{\"port\": 0}"))) {
                assertThat(refused.status()).as(reference + ": " + refused.text()).isEqualTo(403);
                assertThat(refused.at("/title")).isEqualTo("Reference scheme not allowed");
                assertThat(refused.at("/detail")).contains("sample.api.reference-schemes");
            }
        }
        assertThat(api.get("/api/namespaces/" + name + "/interfaces").status()).isEqualTo(200);
        assertThat(api.get("/api/namespaces/host/interfaces").status()).isEqualTo(200);
        List<String> logged = List.of(output.getAll().substring(before).split("\n"));
        assertThat(logged).filteredOn(line -> line.contains("Reference scheme not allowed")).hasSize(15);
        assertThat(logged).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception:"));
    }

    @Test
    void aRefusedProbeLooksIntoNoNamespaceItCouldNotReachAndNamesNone() {
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String other = namespaces.ipNetnsAdd();
            Commands.check("ip", "-n", other, "link", "set", "lo", "up");
            others.add(other);
        }
        String from = others.get(0);
        Response refused = api.post("/api/namespaces/" + from + "/probe", "{\"host\": \"198.51.100.7\", \"port\": 7}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.at("/detail")).doesNotContain(others.get(1), others.get(2), others.get(3));
        Set<String> ids = new HashSet<>();
        api.get("/actuator/netns").json().get("executors").forEach(executor -> ids.add(executor.get("namespace").asString()));
        for (String other : others) {
            assertThat(ids).as("no executor pinned to %s", other).noneMatch(id -> id.endsWith(inodeSuffix(other)));
        }
    }

    @Test
    void aTakenNameIsTheConflictReportedAndTheSuggestedNetworkIsReallyFree() {
        String name = newName();
        String veth = "\"veth\": {\"hostAddress\": \"" + net.ipv4(1) + "\", \"namespaceAddress\": \"" + net.ipv4(2) + "\"}";
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + name + "\", " + veth + "}").status()).isEqualTo(201);
        Response again = api.post("/api/namespaces", "{\"name\": \"" + name + "\", " + veth + "}");
        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(again.at("/title")).isEqualTo("Namespace exists");

        // an overlap suggests a network no host link uses; taking it makes the next suggestion another one
        String other = newName();
        String suggested = suggestion(api.post("/api/namespaces", "{\"name\": \"" + other + "\", \"veth\": {\"hostAddress\": \""
                + net.ipv4(9) + "\"}}"));
        assertThat(hostNetworks()).noneMatch(network -> network.overlaps(Cidr.parse(suggested)));
        Response taken = api.post("/api/namespaces", "{\"name\": \"" + other + "\", \"veth\": {\"hostAddress\": \"" + suggested + "\"}}");
        assertThat(taken.status()).as(taken.text()).isEqualTo(201);
        String third = newName();
        String next = suggestion(api.post("/api/namespaces", "{\"name\": \"" + third + "\", \"veth\": {\"hostAddress\": \""
                + suggested + "\"}}"));
        assertThat(next).isNotEqualTo(suggested);
        assertThat(hostNetworks()).noneMatch(network -> network.overlaps(Cidr.parse(next)));
        assertThat(Path.of("/run/netns", third)).doesNotExist();
        assertThat(api.delete("/api/namespaces/" + other).status()).isEqualTo(204);
        assertThat(api.delete("/api/namespaces/" + name).status()).isEqualTo(204);
    }

    @Test
    void numbersAreNotNamesUnknownFieldsAreErrorsAndLargeBodiesAreRefused() {
        String name = newName();
        Response number = api.post("/api/namespaces", "{\"name\": 4242}");
        assertThat(number.status()).as(number.text()).isEqualTo(400);
        assertThat(Path.of("/run/netns", "4242")).doesNotExist();
        Response typo = api.post("/api/namespaces", "{\"name\": \"" + name + "\", \"vet\": {}}");
        assertThat(typo.status()).as(typo.text()).isEqualTo(400);
        assertThat(typo.at("/detail")).contains("vet");
        Response flag = api.post("/api/namespaces/host/probe", "{\"host\": true, \"port\": 7}");
        assertThat(flag.status()).as(flag.text()).isEqualTo(400);
        assertThat(Path.of("/run/netns", name)).doesNotExist();

        String huge = "{\"name\": \"" + name + "\", \"pad\": \"" + "x".repeat(20 * 1024 * 1024) + "\"}";
        Response tooLarge = api.post("/api/namespaces", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.at("/detail")).contains("sample.http.max-body-size");
        // without a Content-Length (chunked), refused once reading passes the limit (64 KiB)
        String overLimit = "{\"name\": \"" + name + "\", \"pad\": \"" + "x".repeat(200 * 1024) + "\"}";
        Response chunked = api.send("POST", "/api/namespaces", Map.of("Content-Type", "application/json", "Origin", api.base()),
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(overLimit)));
        assertThat(chunked.status()).as(chunked.text()).isEqualTo(413);
        assertThat(Path.of("/run/netns", name)).doesNotExist();
    }

    @Test
    void listingInterfacesPinsNoExecutorAndKeepsNoHandle() {
        String name = newName();
        Response created = api.post("/api/namespaces", "{\"name\": \"" + name + "\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.at("/namespace");
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/namespaces/" + name + "/interfaces").status()).isEqualTo(200);
        }
        assertThat(api.get("/api/namespaces").status()).isEqualTo(200);
        JsonNode netns = api.get("/actuator/netns").json();
        netns.get("executors").forEach(executor -> assertThat(executor.get("namespace").asString()).isNotEqualTo(id));
        netns.get("handles").forEach(handle -> assertThat(handle.get("namespace").asString()).isNotEqualTo(id));
        assertThat(netns.get("strayThreads").asLong()).isZero();
        assertThat(api.delete("/api/namespaces/" + name).status()).isEqualTo(204);
    }

    // --- helpers ---

    private JsonNode namedEntry(String name) {
        for (JsonNode named : api.get("/api/namespaces").json().get("named")) {
            if (named.get("name").asString().equals(name)) {
                return named;
            }
        }
        throw new AssertionError(name + " is not listed");
    }

    private static String inodeSuffix(String name) {
        String inode = Commands.check("stat", "-L", "-c", "%i", "/run/netns/" + name).strip();
        return ":" + inode;
    }

    private static String suggestion(Response conflict) {
        assertThat(conflict.status()).as(conflict.text()).isEqualTo(409);
        Matcher matcher = Pattern.compile("such as (\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+)").matcher(conflict.at("/detail"));
        assertThat(matcher.find()).as(conflict.at("/detail")).isTrue();
        return matcher.group(1);
    }

    /** The networks of the host's addresses, as ip shows them. */
    private static List<Cidr> hostNetworks() {
        List<Cidr> networks = new ArrayList<>();
        for (JsonNode link : ApiClient.JSON.readTree(Commands.check("ip", "-j", "addr"))) {
            for (JsonNode address : link.get("addr_info")) {
                networks.add(Cidr.parse(address.get("local").asString() + "/" + address.get("prefixlen").asInt()));
            }
        }
        return networks;
    }
}
