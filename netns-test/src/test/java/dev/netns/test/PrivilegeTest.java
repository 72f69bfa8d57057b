package dev.netns.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without CAP_SYS_ADMIN (a child JVM of root whose bounding set lacks it), tests that need namespaces
 * are skipped with the reason, or fail under {@code -Dnetns.test.require-privileges=true}.
 */
@EnabledIfNetnsPrivileged // dropping a capability needs root
class PrivilegeTest {

    private static List<String> probe(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData"));
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PrivilegeProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(line -> line.matches("(skipped|aborted|failed|succeeded) .*")).toList();
    }

    @Test
    void withoutThePrivilegeTestsAreSkippedWithTheReason() throws Exception {
        assertThat(probe()).satisfiesExactlyInAnyOrder(
                line -> assertThat(line).startsWith("skipped guarded()").contains("needs CAP_SYS_ADMIN").contains("lack CAP_SYS_ADMIN"),
                line -> assertThat(line).startsWith("skipped unguarded(String)").contains("@TempNamespace in unguarded(String)")
                        .contains("needs CAP_SYS_ADMIN"));
    }

    @Test
    void requiringPrivilegesTurnsTheSkipsIntoFailures() throws Exception {
        assertThat(probe("-D" + NetnsPrivilegeCondition.REQUIRE_PROPERTY + "=true")).satisfiesExactlyInAnyOrder(
                line -> assertThat(line).startsWith("failed guarded()").contains("forbids skipping it"),
                line -> assertThat(line).startsWith("failed unguarded(String)").contains("forbids skipping it"));
    }

}
