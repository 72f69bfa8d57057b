package dev.netns.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.sample.testsupport.Readme;
import dev.netns.test.EnabledIfNetnsPrivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, as written, answers {@code /actuator/health} within 30 s.
 *
 * <p>The command is read out of README.md, so the README cannot drift from what is tested. It is
 * {@code mvn -B -q -DskipTests package && java -jar netns-sample-app/target/netns-sample-app.jar}.
 * Running its first half here would start a second build of this very module from inside its
 * own {@code mvn verify} (rebuilding, under the running test, the jar being tested), so this test
 * runs in failsafe's {@code integration-test} phase, after {@code package} has built that jar,
 * asserts that the first half is exactly that packaging step, and runs the second half verbatim
 * from the repository root, with {@code SERVER_PORT=0} as the only change (a fixed 8080 may be
 * taken on a shared machine). The process is stopped by its PID.
 */
@EnabledIfNetnsPrivileged
class ReadmeRunCommandIT {

    static final String PACKAGE_STEP = "mvn -B -q -DskipTests package";

    /** 127.0.0.1 as /proc/net/tcp writes it, and as /proc/net/tcp6 writes ::ffff:127.0.0.1. */
    private static final String LOOPBACK = "0100007F";
    private static final String LOOPBACK_MAPPED = "0000000000000000FFFF00000100007F";

    @Test
    void theReadmesRunCommandAnswersHealthWithin30Seconds() throws Exception {
        String command = Readme.load().commandAfter("Build and start the sample app");
        String[] steps = command.split(" && ");
        assertThat(steps).as(command).hasSize(2);
        assertThat(steps[0]).isEqualTo(PACKAGE_STEP);
        assertThat(steps[1]).as("a plain command, no shell syntax").doesNotContainPattern("[\"'$`|;<>()*\\\\]");
        List<String> run = List.of(steps[1].split(" +"));
        assertThat(run.subList(0, 2)).containsExactly("java", "-jar");
        Path root = PackagedApp.projectRoot();
        assertThat(root.resolve(run.get(2)).normalize()).isEqualTo(PackagedApp.jar());
        assertThat(Files.exists(PackagedApp.jar())).as("packaged by this build").isTrue();

        try (PackagedApp app = PackagedApp.start(run, root, Map.of(), "readme-run-command")) {
            Duration took = app.awaitHealthy(Duration.ofSeconds(30));
            System.out.println("README run command: /actuator/health answered 200 after " + took.toMillis() + " ms");
            ApiClient api = new ApiClient(app.port());
            ApiClient.Response health = api.get("/actuator/health");
            assertThat(health.at("/status")).as(health.text()).isEqualTo("UP");
            assertThat(health.at("/components/netns/status")).isEqualTo("UP");
            assertThat(api.get("/").text()).contains("<title>netns dashboard</title>");
            assertThat(api.get("/api/namespaces").status()).isEqualTo(200);
            assertThat(api.get("/actuator/prometheus").text()).contains("netns_handles_open");
            assertThat(listeningAddresses(app.port())).as("it listens on 127.0.0.1 only")
                    .isNotEmpty().allMatch(address -> address.equals(LOOPBACK) || address.equals(LOOPBACK_MAPPED));
        }
    }

    /** The local addresses (hex, as /proc/net/tcp writes them) of the sockets listening on a port. */
    static List<String> listeningAddresses(int port) throws Exception {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> addresses = new java.util.ArrayList<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length > 3 && fields[1].endsWith(":" + hexPort) && fields[3].equals("0A")) {
                    addresses.add(fields[1].substring(0, fields[1].indexOf(':')));
                }
            }
        }
        return addresses;
    }
}
