package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.Figures;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The run dir changed behind the library's back, in a run dir of the test's own: unmounted,
 * removed, replaced by a file, made read-only. Every operation afterwards fails with a clear
 * exception or recovers; nothing is left half-created, no fd is leaked, and a handle opened before
 * keeps its namespace usable throughout.
 */
@RequiresPrivileges
class RunDirFaultTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private Path dir;
    private Path runDir;
    private Path previousRunDir;
    private String a;
    private String b;
    private String c;
    private NamespaceExecutors executors;
    private NamespaceTemplate template;
    private NsHandle heldB;
    private NamespaceId idB;
    private List<String> fdsBefore;
    private String fault;
    private int clearFailures;
    private int recoveries;
    private long halfCreated;

    @BeforeEach
    void createTwoNamesAndHoldOne() throws IOException {
        dir = ChildJvm.worldReadableTempDir("nt-rundir-fault-");
        runDir = dir.resolve("netns");
        previousRunDir = Netns.runDirectory();
        Netns.setRunDirectory(runDir);
        fdsBefore = Fds.targets();
        executors = new NamespaceExecutors();
        template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
        a = namespaces.newName();
        b = namespaces.newName();
        c = namespaces.newName();
        Netns.newNamed(a).close();
        heldB = Netns.newNamed(b);
        idB = heldB.id();
        assertThat(Netns.listNamed()).containsExactlyElementsOf(sorted(a, b));
    }

    @AfterEach
    void cleanUp() {
        try {
            executors.close();
            if (heldB != null) {
                heldB.close();
            }
            for (String name : List.of(a, b, c)) {
                try {
                    Netns.deleteNamed(name);
                } catch (RuntimeException e) {
                    // not there (any more)
                }
            }
        } finally {
            Netns.setRunDirectory(previousRunDir);
            // Unmount whatever is left under the test's folder, innermost first, then remove it.
            for (int i = 0; i < 5 && mounted(); i++) {
                Commands.run(List.of("umount", "-R", "-l", runDir.toString()));
            }
            ChildJvm.deleteRecursively(dir);
        }
        List<String> leaked = Fds.addedSince(fdsBefore);
        if (fault != null) {
            Figures.print("fault " + fault, "injected", 1, "clear-failures", clearFailures, "recovered", recoveries,
                    "half-created", halfCreated, "leaked-fds", leaked.size());
        }
        assertThat(mounted()).as("mounts left under " + dir).isFalse();
        assertThat(leaked).as("fds left open").isEmpty();
    }

    @Test
    void unmountedRunDirLeavesStaleFilesThatAreRefusedDeletedAndRecreated() throws IOException {
        Commands.check("umount", "-l", runDir.toString()); // the run dir's own bind mount, and the names under it

        assertThat(Netns.listNamed()).as("the stale files stay listed, as ip netns list shows them")
                .containsExactlyElementsOf(sorted(a, b));
        failsClearly(NetnsException.class, () -> Netns.fromName(a)).isExactlyInstanceOf(NotANamespaceException.class)
                .hasMessageContaining(runDir.resolve(a).toString()).hasMessageContaining("is not a namespace file");
        failsClearly(NamespaceExistsException.class, () -> Netns.newNamed(b)).hasMessageContaining("EEXIST");
        recovers(() -> Netns.deleteNamed(a)); // a stale file is removed, as ip netns delete does
        assertThat(runDir.resolve(a)).doesNotExist();
        recovers(() -> Netns.deleteNamed(b));
        recovers(() -> Netns.newNamed(b).close()); // the run dir is made a shared mount again
        try (NsHandle recreated = Netns.fromName(b)) {
            assertThat(recreated.id()).isNotEqualTo(idB);
        }
        recovers(() -> Netns.newNamed(c).close());
        assertThat(Netns.listNamed()).containsExactlyElementsOf(sorted(b, c));
        assertThatHeldHandleStillWorks();
        finish("run-dir-unmounted", b, c);
    }

    @Test
    void removedRunDirMeansNotFoundAndIsRecreatedByTheNextCreate() throws IOException {
        Commands.check("umount", "-l", runDir.toString());
        Commands.check("rm", "-rf", runDir.toString());

        assertThat(Netns.listNamed()).isEmpty();
        failsClearly(NamespaceNotFoundException.class, () -> Netns.fromName(a)).hasMessageContaining(a);
        failsClearly(NamespaceNotFoundException.class, () -> Netns.deleteNamed(a)).hasMessageContaining(a);
        failsClearly(NamespaceNotFoundException.class, () -> template.execute(a, ns -> ns));
        recovers(() -> Netns.newNamed(c).close());
        assertThat(Netns.listNamed()).containsExactly(c);
        assertThat(mounted()).as("the recreated run dir is a mount point again").isTrue();
        try (NsHandle byName = Netns.fromName(c)) {
            assertThat(template.<NamespaceId>execute(byName, ns -> NamespaceTemplateTest.here())).isEqualTo(byName.id());
        }
        assertThatHeldHandleStillWorks();
        finish("run-dir-removed", c);
    }

    @Test
    void runDirReplacedByAFileFailsClearlyAndCreatesNothing() throws IOException {
        Commands.check("umount", "-l", runDir.toString());
        Commands.check("rm", "-rf", runDir.toString());
        Files.writeString(runDir, "not a directory");

        assertThat(Netns.listNamed()).isEmpty();
        failsClearly(NamespaceNotFoundException.class, () -> Netns.fromName(a));
        failsClearly(NetnsException.class, () -> Netns.newNamed(c))
                .hasMessageContaining("Cannot create named namespace '" + c + "'").hasMessageContaining(runDir.toString());
        failsClearly(NetnsException.class, () -> Netns.deleteNamed(a)).hasMessageContaining("ENOTDIR");
        assertThat(Files.readString(runDir)).isEqualTo("not a directory");
        assertThatHeldHandleStillWorks();
        Files.delete(runDir);
        recovers(() -> Netns.newNamed(c).close()); // once the file is gone
        assertThat(Netns.listNamed()).containsExactly(c);
        finish("run-dir-replaced-by-file", c);
    }

    @Test
    void readOnlyRunDirRefusesCreatesAndUnlinksWithEroFsAndRecoversWhenWritable() throws IOException {
        Commands.check("mount", "-o", "remount,bind,ro", runDir.toString());

        failsClearly(NetnsException.class, () -> Netns.newNamed(c)).hasMessageContaining("EROFS")
                .hasMessageContaining(runDir.resolve(c).toString());
        assertThat(runDir.resolve(c)).doesNotExist();
        try (NsHandle byName = Netns.fromName(a)) { // reading still works
            assertThat(byName.isOpen()).isTrue();
        }
        // Unmounting needs no write access, unlinking does: the name is unmounted, its file stays stale.
        failsClearly(NetnsException.class, () -> Netns.deleteNamed(a)).hasMessageContaining("unlinkat(")
                .hasMessageContaining("EROFS");
        failsClearly(NetnsException.class, () -> Netns.fromName(a)).isExactlyInstanceOf(NotANamespaceException.class)
                .hasMessageContaining("is not a namespace file");
        assertThat(Netns.listNamed()).containsExactlyElementsOf(sorted(a, b));
        Commands.check("mount", "-o", "remount,bind,rw", runDir.toString());
        recovers(() -> Netns.deleteNamed(a)); // now the stale file goes
        recovers(() -> Netns.newNamed(c).close());
        assertThat(Netns.listNamed()).containsExactlyElementsOf(sorted(b, c));
        assertThatHeldHandleStillWorks();
        finish("run-dir-read-only", b, c);
    }

    /** Names the fault for the figures, and checks the run dir holds exactly the names expected: nothing half-created. */
    private void finish(String injected, String... expected) throws IOException {
        fault = injected;
        List<String> entries;
        try (Stream<Path> list = Files.list(runDir)) {
            entries = list.map(path -> path.getFileName().toString()).toList();
        }
        halfCreated = entries.stream().filter(entry -> !List.of(expected).contains(entry)).count();
        assertThat(entries).containsExactlyInAnyOrder(expected);
    }

    /** Asserts that the call fails with the exception type, and counts it for the figures. */
    private AbstractThrowableAssert<?, ? extends Throwable> failsClearly(Class<? extends Throwable> type, ThrowingCallable call) {
        clearFailures++;
        return assertThatThrownBy(call).isInstanceOf(type);
    }

    /** Runs an operation that must work again after the fault, and counts it for the figures. */
    private void recovers(Runnable operation) {
        operation.run();
        recoveries++;
    }

    private void assertThatHeldHandleStillWorks() {
        assertThat(heldB.isOpen()).isTrue();
        assertThat(template.<NamespaceId>execute(heldB, ns -> NamespaceTemplateTest.here())).isEqualTo(idB);
        assertThat(template.interfaces(heldB)).extracting(NetworkInterfaceInfo::name).containsExactly("lo");
    }

    private boolean mounted() {
        try {
            return Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + runDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> sorted(String... names) {
        return Stream.of(names).sorted().toList();
    }

}
