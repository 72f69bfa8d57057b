package dev.netns.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.SampleApplication;
import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.ApiClient.Response;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Attacks on the sample's safeguards over real HTTP, in the real application on a random port:
 * the reference-scheme allow-list reached through the Actuator, control characters forging log
 * lines, and JSON bodies read leniently where the API promises strictness.
 */
@EnabledIfNetnsPrivileged
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApiAttacksServerTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    /**
     * {@code path:}, {@code pid:} and {@code thread:} are off over HTTP: the Actuator's detail of
     * one namespace, served on the same port, must not open files or other processes' namespaces
     * for any caller either (a cross-site {@code <img>} reaches it: its Host is allowed).
     */
    @Test
    void theActuatorDetailServesOnlyTheReferenceSchemesTheApiServes() {
        String name = namespaces.ipNetnsAdd();
        long pid = ProcessHandle.current().pid();
        for (String reference : List.of("path:/run/netns/" + name, "path:/etc/shadow", "pid:" + pid,
                "thread:" + pid + "/" + pid)) {
            Response refused = api.get("/actuator/netns/" + reference);
            assertThat(refused.status()).as(reference + ": " + refused.text()).isEqualTo(403);
            assertThat(refused.text()).as(reference).contains("sample.api.reference-schemes").doesNotContain("interfaces",
                    "filesystem magic");
        }
        assertThat(api.get("/actuator/netns/" + name).status()).isEqualTo(200);
        assertThat(api.get("/actuator/netns/name:" + name).status()).isEqualTo(200);
        assertThat(api.get("/actuator/netns/host").status()).isEqualTo(200);
        assertThat(api.get("/actuator/netns/nt-not-there-" + pid).status()).isEqualTo(404);
    }

    /**
     * A bad request is logged as one line: a carriage return or a Unicode line separator in a
     * reference (any page can make the browser send one) must not start a forged line in the log.
     */
    @Test
    void controlCharactersInAReferenceCannotForgeALogLine(CapturedOutput output) {
        int before = output.getAll().length();
        String forged = "2026-01-01T00.00.00.000Z%20%20WARN%201%20---%20forged"; // no colon: still a name
        for (String separator : List.of("%0D", "%E2%80%A8", "%C2%85")) {
            Response missing = api.get("/api/namespaces/nt-x" + separator + forged + "/interfaces");
            assertThat(missing.status()).as(missing.text()).isEqualTo(404);
            Response malformed = api.get("/api/namespaces/nt" + separator + forged + ":x/interfaces");
            assertThat(malformed.status()).as(malformed.text()).isEqualTo(400);
        }
        String logged = output.getAll().substring(before);
        assertThat(logged).contains("404 Namespace not found", "400 Invalid request");
        assertThat(logged).as("control characters and line separators in the log").doesNotContain("\r", "\u2028", "\u0085");
    }

    /** Strict bodies: a string or a fraction is not a port (the API refuses a number for a name). */
    @Test
    void aStringOrAFractionIsNotAPort() {
        String name = namespaces.ipNetnsAdd();
        for (String body : List.of("{\"port\": \"0\"}", "{\"port\": 0.9}", "{\"port\": 1e0}")) {
            Response lenient = api.post("/api/namespaces/" + name + "/echo", body);
            if (lenient.status() == 201) {
                api.delete("/api/namespaces/" + name + "/echo"); // leave no echo server behind, then fail
            }
            assertThat(lenient.status()).as(body + ": " + lenient.text()).isEqualTo(400);
            assertThat(lenient.at("/title")).isEqualTo("Unreadable request body");
        }
        Response probe = api.post("/api/namespaces/" + name + "/probe", "{\"host\": \"127.0.0.1\", \"port\": \"7\"}");
        assertThat(probe.status()).as(probe.text()).isEqualTo(400);
    }

    /**
     * Strict bodies: a key given twice is an error, not "the last one wins" (a proxy or a log that
     * reads the first one would see another request than the API acts on).
     */
    @Test
    void aKeyGivenTwiceIsAnError() {
        String name = namespaces.newName();
        Response duplicate = api.post("/api/namespaces", "{\"name\": \"!\", \"name\": \"" + name + "\"}");
        assertThat(duplicate.status()).as(duplicate.text()).isEqualTo(400);
        assertThat(duplicate.at("/detail")).contains("name");
        assertThat(Path.of("/run/netns", name)).doesNotExist();
    }
}
