package dev.netns.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged application run by a user without CAP_SYS_ADMIN ({@code nobody}, through
 * util-linux's setpriv): it starts and reads, and changing namespaces answers 403 with the hint.
 */
@RequiresPrivileges // to switch to nobody in the first place
class UnprivilegedUserIT {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void withoutCapSysAdminCreatingIsForbiddenWithTheHint() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java, "-jar",
                PackagedApp.jar().toString());
        // nobody may not talk to the Docker socket: leave Docker references off so that health is about netns
        try (PackagedApp app = PackagedApp.start(command, Path.of("/tmp"), Map.of("NETNS_DOCKER_ENABLED", "false"),
                "unprivileged-user-app")) {
            app.awaitHealthy(Duration.ofSeconds(90));
            ApiClient api = new ApiClient(app.port());
            String name = namespaces.newName();
            ApiClient.Response forbidden = api.post("/api/namespaces", "{\"name\": \"" + name + "\"}");
            assertThat(forbidden.status()).as(forbidden.text()).isEqualTo(403);
            assertThat(forbidden.contentType()).startsWith("application/problem+json");
            assertThat(forbidden.at("/title")).isEqualTo("Missing privilege");
            assertThat(forbidden.at("/detail")).contains("CAP_SYS_ADMIN");
            assertThat(Path.of("/run/netns", name)).doesNotExist();
            assertThat(api.get("/api/namespaces").status()).isEqualTo(200);
        }
    }
}
