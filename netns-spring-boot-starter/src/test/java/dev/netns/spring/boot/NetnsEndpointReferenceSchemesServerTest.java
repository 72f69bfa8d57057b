package dev.netns.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.Commands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /actuator/netns/{reference}} over a real port serves only the reference schemes of
 * {@code netns.endpoint.reference-schemes} ({@code name}, {@code docker}, {@code host} by default)
 * and the configured aliases: any caller of the endpoint could otherwise make the application,
 * running as root, open {@code path:/etc/shadow} or look into any process's namespace.
 */
@EnabledIfNetnsPrivileged
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = NetnsEndpointReferenceSchemesServerTest.TestApplication.class,
        properties = { "management.endpoints.web.exposure.include=netns", "server.address=127.0.0.1" })
class NetnsEndpointReferenceSchemesServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final String blue = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeAll
    static void createNamespace() {
        Commands.check("ip", "netns", "add", blue);
    }

    @AfterAll
    static void deleteNamespace() {
        Commands.run(List.of("ip", "netns", "del", blue));
    }

    @DynamicPropertySource
    static void aliases(DynamicPropertyRegistry registry) {
        registry.add("netns.namespaces.by-path", () -> "path:/run/netns/" + blue);
    }

    @LocalServerPort
    int port;

    @Autowired
    NetnsRuntime runtime;

    @Test
    void pathPidThreadAndCurrentAreRefusedWithoutOpeningAnythingAndEachRefusalIsOneLogLine(CapturedOutput output)
            throws Exception {
        long pid = ProcessHandle.current().pid();
        String absent = "/run/nt-absent-" + UUID.randomUUID();
        assertThat(Path.of(absent)).doesNotExist();
        int before = output.getAll().length();
        List<String> refusedReferences = List.of("path:/etc/shadow", "path:/run/netns/" + blue, "path:" + absent, "pid:" + pid,
                "pid:1", "thread:" + pid + "/" + pid, "current");
        for (String reference : refusedReferences) {
            JsonNode refused = get(port, "/actuator/netns/" + reference, 403);
            assertThat(refused.get("status").asInt()).isEqualTo(403);
            assertThat(refused.get("error").asString()).isEqualTo("Reference scheme not allowed");
            assertThat(refused.get("message").asString()).as(reference)
                    .contains("not served here", "name, docker, host", "configured aliases", "netns.endpoint.reference-schemes")
                    .doesNotContain("interfaces", "does not exist", "No such file");
            assertThat(refused.get("reference").asString()).isEqualTo(reference);
            assertThat(refused.has("interfaces")).isFalse();
        }
        // a path that does not exist is refused like one that does: the endpoint is no oracle for files
        assertThat(get(port, "/actuator/netns/path:" + absent, 403).get("message").asString())
                .isEqualTo(get(port, "/actuator/netns/path:/etc/shadow", 403).get("message").asString());
        List<String> logged = List.of(output.getAll().substring(before).split("\n"));
        assertThat(logged).filteredOn(line -> line.contains("netns endpoint refused a reference"))
                .hasSize(refusedReferences.size() + 2);
        assertThat(logged).noneMatch(line -> line.startsWith("\tat ") || line.contains("/etc/shadow"));
        assertThat(runtime.openHandles()).noneMatch(handle -> handle.source().contains(blue));
        assertThat(Netns.openHandles()).noneMatch(handle -> handle.source().contains(blue));
    }

    @Test
    void namesDockerHostAndTheConfiguredAliasesAreServed() throws Exception {
        String id = get(port, "/actuator/netns/" + blue, 200).get("namespace").asString();
        assertThat(get(port, "/actuator/netns/name:" + blue, 200).get("namespace").asString()).isEqualTo(id);
        // an alias is served whatever its scheme: the operator chose it
        JsonNode alias = get(port, "/actuator/netns/by-path", 200);
        assertThat(alias.get("alias").asString()).isEqualTo("by-path");
        assertThat(alias.get("namespace").asString()).isEqualTo(id);
        assertThat(get(port, "/actuator/netns/host", 200).get("namespace").asString()).isEqualTo(Netns.hostId().toString());
        assertThat(get(port, "/actuator/netns/docker:nt-no-such-container-" + UUID.randomUUID(), 404).get("error").asString())
                .isEqualTo("Namespace not found");
        assertThat(get(port, "/actuator/netns/pid:abc", 400).get("error").asString()).isEqualTo("Malformed namespace reference");
    }

    /** An operator who turned {@code path:} on for the endpoint: paths are served, {@code pid:} still is not. */
    @Nested
    @DirtiesContext
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            classes = NetnsEndpointReferenceSchemesServerTest.TestApplication.class,
            properties = { "management.endpoints.web.exposure.include=netns", "server.address=127.0.0.1",
                    "netns.endpoint.reference-schemes=NAME, path" })
    class WithPathTurnedOn {

        @LocalServerPort
        int pathPort;

        @Test
        void pathsAreServedAndOtherSchemesStayOff() throws Exception {
            assertThat(get(pathPort, "/actuator/netns/path:/run/netns/" + blue, 200).get("names").get(0).asString())
                    .isEqualTo(blue);
            assertThat(get(pathPort, "/actuator/netns/path:/etc/hostname", 400).get("message").asString())
                    .contains("/etc/hostname");
            assertThat(get(pathPort, "/actuator/netns/" + blue, 200).get("names").get(0).asString()).isEqualTo(blue);
            JsonNode docker = get(pathPort, "/actuator/netns/docker:web", 403);
            assertThat(docker.get("message").asString()).contains("only name, path and the configured aliases");
            get(pathPort, "/actuator/netns/pid:" + ProcessHandle.current().pid(), 403);
            get(pathPort, "/actuator/netns/host", 403);
        }
    }

    static JsonNode get(int port, String path, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(status);
        return JsonMapper.builder().build().readTree(response.body());
    }

    @SpringBootApplication
    static class TestApplication {
    }
}
