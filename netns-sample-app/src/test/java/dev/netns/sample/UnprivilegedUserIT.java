package dev.netns.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged application run by a user without CAP_SYS_ADMIN ({@code nobody}, through
 * util-linux's setpriv), and by root without CAP_SYS_ADMIN: it starts and reads, warns once at
 * start-up, its health says what is missing, and changing namespaces answers 403 with a hint
 * that fits what the process really lacks.
 */
@EnabledIfNetnsPrivileged // to switch to nobody in the first place
class UnprivilegedUserIT {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void withoutCapSysAdminCreatingIsForbiddenWithTheHint() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java, "-jar",
                PackagedApp.jar().toString());
        // Docker references stay on: nobody may not talk to the Docker socket, which no alias needs, so the health is UP
        try (PackagedApp app = PackagedApp.start(command, Path.of("/tmp"), Map.of(), "unprivileged-user-app")) {
            app.awaitHealthy(Duration.ofSeconds(90));
            ApiClient api = new ApiClient(app.port());
            String name = namespaces.newName();
            ApiClient.Response forbidden = api.post("/api/namespaces", "{\"name\": \"" + name + "\"}");
            assertThat(forbidden.status()).as(forbidden.text()).isEqualTo(403);
            assertThat(forbidden.contentType()).startsWith("application/problem+json");
            assertThat(forbidden.at("/title")).isEqualTo("Missing privilege");
            assertThat(forbidden.at("/detail")).contains("CAP_SYS_ADMIN", "uid 65534", "run it as root");
            assertThat(Path.of("/run/netns", name)).doesNotExist();
            assertThat(api.get("/api/namespaces").status()).isEqualTo(200);

            // one clear WARN at start-up, and the health says what is missing
            assertThat(app.log().lines().filter(line -> line.contains("WARN") && line.contains("lacks CAP_SYS_ADMIN")))
                    .hasSize(1);
            ApiClient.Response health = api.get("/actuator/health");
            assertThat(health.json().at("/components/netns/details/privileges/capSysAdmin").asBoolean(true))
                    .as(health.text()).isFalse();
            assertThat(health.at("/components/netns/details/privileges/hint")).contains("uid 65534");
            assertThat(health.at("/status")).isEqualTo("UP");
            assertThat(health.at("/components/netns/details/docker/status")).as(health.text()).isEqualTo("DOWN");
            assertThat(health.at("/components/netns/details/docker/required")).isEqualTo("false");
        }
    }

    @Test
    void rootWithoutCapSysAdminIsToldToGrantItNotToRunAsRoot() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // root whose capabilities are CAP_SYS_PTRACE only, as in a container without --cap-add SYS_ADMIN
        List<String> command = List.of("setpriv", "--bounding-set=-all,+sys_ptrace", java, "-jar", PackagedApp.jar().toString());
        try (PackagedApp app = PackagedApp.start(command, Path.of("/tmp"), Map.of("NETNS_DOCKER_ENABLED", "false"),
                "root-without-sys-admin-app")) {
            app.awaitHealthy(Duration.ofSeconds(90));
            ApiClient api = new ApiClient(app.port());
            String name = namespaces.newName();
            ApiClient.Response forbidden = api.post("/api/namespaces", "{\"name\": \"" + name + "\"}");
            assertThat(forbidden.status()).as(forbidden.text()).isEqualTo(403);
            assertThat(forbidden.at("/hint")).contains("runs as root but without CAP_SYS_ADMIN", "CapEff 0x80000")
                    .doesNotContain("run it as root", "sudo");
            assertThat(Path.of("/run/netns", name)).doesNotExist();
            assertThat(app.log()).contains("lacks CAP_SYS_ADMIN (uid 0, CapEff 0x80000)");
        }
    }
}
