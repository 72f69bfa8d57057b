package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.ProbeLines;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The library as an unprivileged user sees it: {@link UnprivilegedProbe} runs as uid 65534 with no
 * capabilities (root starts it with {@code setpriv}, hence the privileges this test needs).
 */
@RequiresPrivileges
class UnprivilegedUserTest {

    private static final int NOBODY = 65534;
    private static final Path RUN_DIR = Path.of("/run/netns");
    /** Names of other test runs' namespaces ({@code nt-} plus 10 hex digits) come and go meanwhile. */
    private static final Pattern OTHER_TESTS = Pattern.compile("nt-[0-9a-f]{10}");

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void operationsNeedingCapSysAdminFailWithPermissionErrorsAndLeaveNothingBehind() throws IOException {
        String existing = namespaces.ipNetnsAdd();
        String free = namespaces.newName();
        NamespaceId existingId;
        try (NsHandle handle = Netns.fromName(existing)) {
            existingId = handle.id();
        }
        List<String> namesBefore = runDirNames(existing, free);

        Path dir = ChildJvm.worldReadableTempDir("nt-unprivileged");
        try {
            Path classpath = Files.createDirectory(dir.resolve("classpath"));
            List<Path> copies = ChildJvm.copyClasspath(ChildJvm.classpath(), classpath);
            Path writable = Files.createDirectory(dir.resolve("writable"));
            Files.setAttribute(writable, "unix:uid", NOBODY);
            Files.setAttribute(writable, "unix:gid", NOBODY);
            // Under a directory root owns: the probe cannot create it.
            Path missingRunDir = dir.resolve("root-only").resolve("netns");
            Files.createDirectory(missingRunDir.getParent());

            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                    "--clear-groups", "--inh-caps=-all"));
            command.addAll(ChildJvm.command(copies, List.of("-Djna.tmpdir=" + writable, "-Djava.io.tmpdir=" + writable),
                    UnprivilegedProbe.class.getName(), existing, free, missingRunDir.toString()));
            Commands.Result result = Commands.run(command);
            assertThat(result.exitCode()).as(result.output()).isZero();
            Map<String, ProbeLines.Outcome> outcomes = ProbeLines.parse(result.output());

            assertThat(outcomes).as(result.output()).containsOnlyKeys("set", "newNamespace", "newNamed", "deleteNamed",
                    "newNamedInMissingRunDir");
            assertThat(outcomes).allSatisfy((operation, outcome) -> {
                assertThat(outcome.outcome()).as(operation + ": " + outcome.detail())
                        .isEqualTo(NamespacePermissionException.class.getSimpleName());
                assertThat(outcome.detail()).as(operation).contains("CAP_SYS_ADMIN");
            });
            assertThat(outcomes.get("set").detail()).contains("setns(").contains("EPERM");
            assertThat(outcomes.get("newNamespace").detail()).contains("unshare(CLONE_NEWNET)").contains("EPERM");
            assertThat(outcomes.get("newNamed").detail()).contains(free);
            assertThat(outcomes.get("deleteNamed").detail()).contains(existing);
            assertThat(outcomes.get("newNamedInMissingRunDir").detail()).contains("mkdir(" + missingRunDir + ")")
                    .contains("EACCES");

            assertThat(missingRunDir).doesNotExist();
        } finally {
            ChildJvm.deleteRecursively(dir);
        }

        assertThat(RUN_DIR.resolve(free)).doesNotExist();
        assertThat(runDirNames(existing, free)).isEqualTo(namesBefore);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(" " + RUN_DIR.resolve(existing) + " ");
        try (NsHandle handle = Netns.fromName(existing)) {
            assertThat(handle.id()).isEqualTo(existingId);
        }
    }

    /** The run dir's entries, without other test runs' but with this test's own names. */
    private static List<String> runDirNames(String... mine) throws IOException {
        List<String> own = List.of(mine);
        try (Stream<Path> entries = Files.list(RUN_DIR)) {
            return entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> own.contains(name) || !OTHER_TESTS.matcher(name).matches())
                    .sorted().toList();
        }
    }
}
