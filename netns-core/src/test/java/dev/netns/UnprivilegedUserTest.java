package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Figures;
import dev.netns.testsupport.ProbeLines;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The library as an unprivileged user sees it: {@link UnprivilegedProbe} runs as uid 65534 with no
 * capabilities (root starts it with {@code setpriv}, hence the privileges this test needs). Every
 * operation that changes namespaces fails with {@link NamespacePermissionException} and leaves no
 * file, run dir, fd or mount behind; reads of its own namespace work.
 */
@RequiresPrivileges
class UnprivilegedUserTest {

    private static final int NOBODY = 65534;
    private static final Path RUN_DIR = Path.of("/run/netns");

    private static final List<String> MUTATING = List.of("set", "setnsUts", "newNamespace", "newNamed", "deleteNamed",
            "newNamedInMissingRunDir", "newNamedInCreatableRunDir", "newNamedInOwnRunDir", "templateCreate",
            "templateCreateNamed", "templateDeleteNamed", "templateExecute", "executorSubmit");
    private static final List<String> READS_THAT_WORK = List.of("get", "listNamed", "fromName", "namesOf", "interfacesOwn",
            "fromPidOfSelf", "threads", "openHandles");

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
        List<String> mountsBefore = Files.readAllLines(Path.of("/proc/self/mountinfo"));

        Path dir = ChildJvm.worldReadableTempDir("nt-unprivileged");
        try {
            Path classpath = Files.createDirectory(dir.resolve("classpath"));
            List<Path> copies = ChildJvm.copyClasspath(ChildJvm.classpath(), classpath);
            Path writable = ownedByNobody(Files.createDirectory(dir.resolve("writable")));
            // Under a directory root owns: the probe cannot create it.
            Path missingRunDir = dir.resolve("root-only").resolve("netns");
            Files.createDirectory(missingRunDir.getParent());
            // Under a directory the probe owns: it can create it, and must not leave it behind.
            Path creatableRunDir = writable.resolve("netns");
            Path ownRunDir = ownedByNobody(Files.createDirectory(dir.resolve("own-netns")));

            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                    "--clear-groups", "--inh-caps=-all"));
            command.addAll(ChildJvm.command(copies, List.of("-Djna.tmpdir=" + writable, "-Djava.io.tmpdir=" + writable),
                    UnprivilegedProbe.class.getName(), existing, free, missingRunDir.toString(), creatableRunDir.toString(),
                    ownRunDir.toString(), String.valueOf(ProcessHandle.current().pid())));
            Commands.Result result = Commands.run(command);
            assertThat(result.exitCode()).as(result.output()).isZero();
            Map<String, ProbeLines.Outcome> outcomes = ProbeLines.parse(result.output());

            assertThat(outcomes).as(result.output()).containsKeys(MUTATING.toArray(String[]::new))
                    .containsKeys(READS_THAT_WORK.toArray(String[]::new)).containsKeys("fromPidOfRoot", "fdsLeft", "mountsAdded");
            for (String operation : MUTATING) {
                assertThat(outcomes.get(operation)).as(operation).satisfies(outcome -> {
                    assertThat(outcome.outcome()).as(outcome.detail()).isEqualTo(NamespacePermissionException.class.getSimpleName());
                    assertThat(outcome.detail()).contains("CAP_SYS_ADMIN");
                });
            }
            assertThat(outcomes.get("set").detail()).contains("setns(").contains("CLONE_NEWNET").contains("EPERM");
            assertThat(outcomes.get("setnsUts").detail()).contains("setns(").contains("CLONE_NEWUTS").contains("EPERM");
            assertThat(outcomes.get("newNamespace").detail()).contains("unshare(CLONE_NEWNET)").contains("EPERM");
            assertThat(outcomes.get("templateCreate").detail()).contains("unshare(CLONE_NEWNET)").contains("EPERM");
            assertThat(outcomes.get("newNamed").detail()).contains(free).contains("EPERM");
            assertThat(outcomes.get("templateCreateNamed").detail()).contains(free).contains("EPERM");
            assertThat(outcomes.get("deleteNamed").detail()).contains(existing).contains("umount2(").contains("EPERM");
            assertThat(outcomes.get("templateDeleteNamed").detail()).contains(existing).contains("EPERM");
            assertThat(outcomes.get("newNamedInMissingRunDir").detail()).contains("mkdir(" + missingRunDir + ")")
                    .contains("EACCES");
            assertThat(outcomes.get("newNamedInCreatableRunDir").detail()).contains("mount(" + creatableRunDir).contains("EPERM");
            assertThat(outcomes.get("newNamedInOwnRunDir").detail()).contains("mount(" + ownRunDir).contains("EPERM");
            assertThat(outcomes.get("templateExecute").detail()).contains("setns(").contains("EPERM");
            assertThat(outcomes.get("executorSubmit").detail()).contains("setns(").contains("EPERM");

            for (String operation : READS_THAT_WORK) {
                assertThat(outcomes.get(operation).outcome()).as(operation + ": " + outcomes.get(operation).detail()).isEqualTo("OK");
            }
            assertThat(outcomes.get("fromName").detail()).isEqualTo(String.valueOf(existingId));
            assertThat(outcomes.get("namesOf").detail()).isEqualTo("[" + existing + "]");
            assertThat(outcomes.get("fromPidOfRoot")).satisfies(outcome -> {
                assertThat(outcome.outcome()).isEqualTo(NamespacePermissionException.class.getSimpleName());
                assertThat(outcome.detail()).contains("EACCES").contains("CAP_SYS_PTRACE");
            });
            assertThat(outcomes.get("fdsLeft")).as("fds a second round of failures left open")
                    .isEqualTo(new ProbeLines.Outcome("OK", "[]"));
            assertThat(outcomes.get("mountsAdded")).isEqualTo(new ProbeLines.Outcome("OK", "[]"));

            assertThat(missingRunDir).doesNotExist();
            assertThat(creatableRunDir).as("a run dir made for a create that failed").doesNotExist();
            try (Stream<Path> left = Files.list(ownRunDir)) {
                assertThat(left).as("files left in the probe's own run dir").isEmpty();
            }
            Figures.print("least-privilege unprivileged", "uid", NOBODY, "mutating-refused", MUTATING.size(),
                    "reads-ok", READS_THAT_WORK.size(), "reads-refused", 1, "fds-left", 0, "mounts-added", 0, "partial-state", 0);
        } finally {
            ChildJvm.deleteRecursively(dir);
        }

        assertThat(RUN_DIR.resolve(free)).doesNotExist();
        assertThat(runDirNames(existing, free)).isEqualTo(namesBefore);
        List<String> mountsAdded = new ArrayList<>(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        mountsBefore.forEach(mountsAdded::remove);
        assertThat(mountsAdded).noneMatch(line -> line.contains(free) || line.contains("nt-unprivileged"));
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(" " + RUN_DIR.resolve(existing) + " ");
        try (NsHandle handle = Netns.fromName(existing)) {
            assertThat(handle.id()).isEqualTo(existingId);
        }
    }

    private static Path ownedByNobody(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", NOBODY);
        Files.setAttribute(path, "unix:gid", NOBODY);
        return path;
    }

    /** This test's own names in the run dir: other test runs add and remove theirs meanwhile. */
    private static List<String> runDirNames(String... mine) throws IOException {
        List<String> own = List.of(mine);
        try (Stream<Path> entries = Files.list(RUN_DIR)) {
            return entries.map(entry -> entry.getFileName().toString()).filter(own::contains).sorted().toList();
        }
    }
}
