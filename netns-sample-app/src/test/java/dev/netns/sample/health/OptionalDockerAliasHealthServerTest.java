package dev.netns.sample.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.SampleApplication;
import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.ApiClient.Response;
import dev.netns.test.EnabledIfNetnsPrivileged;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The README's "use it in your app" properties ("backend" required, "web" a {@code docker:} alias
 * whose failing "is only a detail"), in the real application over HTTP, with a Docker engine that
 * does not answer: "web" is not required, so the engine it alone needs must not take the
 * application DOWN ("backend" stands for any namespace that is there: this JVM's own).
 */
@EnabledIfNetnsPrivileged
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "netns.namespaces.backend=host", "netns.namespaces.web=docker:web",
                "netns.health.required-aliases=backend", "netns.docker.host=unix:///nonexistent/nt-docker.sock" })
class OptionalDockerAliasHealthServerTest {

    @LocalServerPort
    int port;

    @Test
    void anEngineOnlyAnOptionalAliasNeedsIsADetailOfAnUpHealth() {
        Response health = new ApiClient(port).get("/actuator/health/netns");
        assertThat(health.at("/details/aliases/backend/status")).isEqualTo("UP");
        assertThat(health.at("/details/aliases/web/status")).isEqualTo("DOWN");
        assertThat(health.at("/details/aliases/web/required")).isEqualTo("false");
        assertThat(health.at("/details/docker/status")).isEqualTo("DOWN");
        assertThat(health.at("/status")).as(health.text()).isEqualTo("UP");
        assertThat(health.status()).isEqualTo(200);
    }
}
