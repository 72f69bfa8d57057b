package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.ProbeLines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On another operating system the library loads, and every kernel operation refuses clearly. */
class NonLinuxTest {

    private static final String OS_NAME = "Windows 11";

    @Test
    void onAnotherOperatingSystemOnlyKernelOperationsAreRefusedAndJnaIsNeverLoaded() {
        Commands.Result result = Commands.run(ChildJvm.command(ChildJvm.classpath(),
                List.of("-Dos.name=" + OS_NAME, "-Xlog:class+load=info:stdout"), NonLinuxProbe.class.getName()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<String, ProbeLines.Outcome> outcomes = ProbeLines.parse(result.output());

        assertThat(outcomes.get("none")).isEqualTo(new ProbeLines.Outcome("OK", "NS(none)"));
        assertThat(outcomes.get("parse")).isEqualTo(new ProbeLines.Outcome("OK", "name:blue"));
        List<String> refused = List.of("get", "set", "newNamespace", "listNamed", "fromName", "newNamed", "deleteNamed",
                "threads", "interfaces", "resolveHost");
        assertThat(outcomes).as(result.output()).containsKeys(refused.toArray(String[]::new));
        for (String operation : refused) {
            assertThat(outcomes.get(operation)).as(operation).satisfies(outcome -> {
                assertThat(outcome.outcome()).isEqualTo(UnsupportedOperationException.class.getSimpleName());
                assertThat(outcome.detail()).contains("only on Linux").contains(OS_NAME);
            });
        }
        // The class-load log works (Syscalls, which binds JNA lazily, was loaded) and shows no JNA class.
        assertThat(result.output()).contains("dev.netns.internal.Syscalls source:");
        assertThat(result.output().lines().filter(line -> line.contains("com.sun.jna."))).as("JNA classes loaded").isEmpty();
    }
}
