package dev.netns.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.test.TempNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged sample, whose build ran {@code spring-boot:process-aot}, started with
 * {@code -Dspring.aot.enabled=true}: the context comes from the code generated at build time
 * (Spring Boot refuses to start in that mode without it), and the starter's beans, endpoint and
 * health work there as they do without AOT.
 */
@EnabledIfNetnsPrivileged
class AotStartIT {

    @Test
    void theAotProcessedAppStartsAndItsNetnsEndpointWorks(@TempNamespace String blue) throws Exception {
        Path jar = PackagedApp.jar();
        assertThat(Files.exists(jar)).as("packaged by this build").isTrue();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspring.aot.enabled=true", "-jar", jar.toString());
        try (PackagedApp app = PackagedApp.start(command, PackagedApp.projectRoot(), Map.of("NETNS_NAMESPACES_BLUE", blue),
                "aot-start")) {
            app.awaitHealthy(Duration.ofSeconds(120)); // generous: the machine may be busy
            assertThat(app.log()).contains("Starting AOT-processed SampleApplication");
            ApiClient api = new ApiClient(app.port());
            ApiClient.Response health = api.get("/actuator/health");
            assertThat(health.at("/components/netns/status")).as(health.text()).isEqualTo("UP");
            ApiClient.Response detail = api.get("/actuator/netns/blue");
            assertThat(detail.status()).as(detail.text()).isEqualTo(200);
            assertThat(detail.at("/names/0")).isEqualTo(blue);
            assertThat(detail.at("/interfaces/0/name")).isEqualTo("lo");
            assertThat(api.get("/actuator/netns").at("/aliases/blue/resolved")).isEqualTo("true");
        }
    }
}
