package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.DockerContainers;
import dev.netns.testsupport.Figures;
import dev.netns.testsupport.ProbeLines;
import dev.netns.testsupport.RequiresDocker;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The library with the least privilege it needs: {@link CapSysAdminOnlyProbe} runs as uid 0 with
 * CAP_SYS_ADMIN as its only capability ({@code setpriv} drops the others from every set). Everything
 * on its own namespaces works; opening the namespace of a process that holds capabilities it lacks
 * (another root process, a container) needs CAP_SYS_PTRACE too, which a second run shows is enough.
 */
@RequiresPrivileges
class CapSysAdminOnlyTest {

    /** Bit 21, CAP_SYS_ADMIN, as /proc/self/status prints capability sets. */
    private static final String SYS_ADMIN = "0000000000200000";
    /** CAP_SYS_ADMIN and bit 19, CAP_SYS_PTRACE. */
    private static final String SYS_ADMIN_AND_PTRACE = "0000000000280000";

    private static final List<String> WORK_WITH_SYS_ADMIN = List.of("newNamed", "fromName", "listNamed", "setAndRestore",
            "templateExecute", "interfacesInside", "interfacesOwn", "namesOf", "newNamespaceOnThrowawayThread", "templateCreate",
            "threads", "fromPidOfSelf", "fromPidWithoutCapabilities", "deleteNamed");

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @RegisterExtension
    final DockerContainers containers = new DockerContainers();

    @Test
    void everythingOnItsOwnNamespacesWorksWithCapSysAdminAlone() throws Exception {
        String name = namespaces.newName();
        Process capless = new ProcessBuilder("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--", "sleep", "120").start();
        try {
            Map<String, ProbeLines.Outcome> outcomes = probe("sys_admin", "core", name,
                    String.valueOf(ProcessHandle.current().pid()), String.valueOf(capless.pid()));

            assertThat(outcomes.get("capabilities").detail()).contains("CapEff:" + SYS_ADMIN, "CapPrm:" + SYS_ADMIN,
                    "CapBnd:" + SYS_ADMIN);
            assertThat(outcomes).containsKeys(WORK_WITH_SYS_ADMIN.toArray(String[]::new));
            for (String operation : WORK_WITH_SYS_ADMIN) {
                assertThat(outcomes.get(operation).outcome()).as(operation + ": " + outcomes.get(operation).detail()).isEqualTo("OK");
            }
            assertThat(outcomes.get("listNamed").detail()).isEqualTo("true");
            assertThat(outcomes.get("setAndRestore").detail()).isEqualTo("true");
            assertThat(outcomes.get("templateExecute").detail()).isEqualTo("true");
            assertThat(outcomes.get("interfacesInside").detail()).isEqualTo("[lo]");
            assertThat(outcomes.get("namesOf").detail()).isEqualTo("[" + name + "]");
            assertThat(outcomes.get("newNamespaceOnThrowawayThread").detail()).isEqualTo("true");
            assertThat(outcomes.get("templateCreate").detail()).isEqualTo("true");
            assertThat(outcomes.get("threads").detail()).as("stray threads").isEqualTo("0");
            assertThat(outcomes.get("deleteNamed").detail()).as("the file is left").isEqualTo("false");

            // A process whose capabilities are not a subset of the caller's is off limits without CAP_SYS_PTRACE
            // (the kernel's ptrace access check on /proc/PID/ns), and pidsIn silently cannot see it.
            assertThat(outcomes.get("fromPidWithMoreCapabilities")).satisfies(outcome -> {
                assertThat(outcome.outcome()).isEqualTo(NamespacePermissionException.class.getSimpleName());
                assertThat(outcome.detail()).contains("/proc/" + ProcessHandle.current().pid() + "/ns/net")
                        .contains("EACCES").contains("CAP_SYS_PTRACE");
            });
            assertThat(outcomes.get("pidsInSeesMoreCapableProcess")).isEqualTo(new ProbeLines.Outcome("OK", "false"));

            Map<String, ProbeLines.Outcome> withPtrace = probe("sys_admin,+sys_ptrace", "core", namespaces.newName(),
                    String.valueOf(ProcessHandle.current().pid()), String.valueOf(capless.pid()));
            assertThat(withPtrace.get("capabilities").detail()).contains("CapEff:" + SYS_ADMIN_AND_PTRACE);
            assertThat(withPtrace.get("fromPidWithMoreCapabilities").outcome()).isEqualTo("OK");
            assertThat(withPtrace.get("pidsInSeesMoreCapableProcess")).isEqualTo(new ProbeLines.Outcome("OK", "true"));
            assertThat(withPtrace).allSatisfy((operation, outcome) -> assertThat(outcome.outcome()).as(operation).isEqualTo("OK"));

            Figures.print("least-privilege cap-sys-admin-only", "cap-eff", "0x200000", "operations", outcomes.size() - 1,
                    "work", WORK_WITH_SYS_ADMIN.size(), "need-cap-sys-ptrace", 2, "work-with-cap-sys-ptrace-added",
                    withPtrace.values().stream().filter(ProbeLines.Outcome::ok).count() - 1);
        } finally {
            capless.destroy();
            capless.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(Path.of("/run/netns", name)).doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(name);
    }

    @Test
    @RequiresDocker
    void aContainersNamespaceNeedsCapSysPtraceBesidesCapSysAdmin() throws Exception {
        String id = containers.run(DockerContainers.newName());
        String pid = String.valueOf(containers.pid(id));

        Map<String, ProbeLines.Outcome> outcomes = probe("sys_admin", "docker", id, pid);
        assertThat(outcomes.get("fromDocker").outcome()).as(outcomes.get("fromDocker").detail())
                .isEqualTo(NamespacePermissionException.class.getSimpleName());
        assertThat(outcomes.get("fromPidOfContainer").outcome()).isEqualTo(NamespacePermissionException.class.getSimpleName());

        Map<String, ProbeLines.Outcome> withPtrace = probe("sys_admin,+sys_ptrace", "docker", id, pid);
        assertThat(withPtrace.get("fromDocker").outcome()).as(withPtrace.get("fromDocker").detail()).isEqualTo("OK");
        assertThat(withPtrace.get("fromPidOfContainer")).isEqualTo(withPtrace.get("fromDocker"));
        Figures.print("least-privilege docker", "with-cap-sys-admin", "refused", "with-cap-sys-ptrace-added", "ok");
    }

    /** Runs the probe as uid 0 with only the given capabilities ({@code sys_admin,+sys_ptrace}) in every set. */
    private static Map<String, ProbeLines.Outcome> probe(String capabilities, String... args) throws IOException {
        String only = "-all,+" + capabilities;
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set=" + only, "--inh-caps=" + only,
                "--ambient-caps=" + only, "--"));
        command.addAll(ChildJvm.command(ChildJvm.classpath(), List.of(), CapSysAdminOnlyProbe.class.getName(), args));
        Commands.Result result = Commands.run(command);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return ProbeLines.parse(result.output());
    }
}
