package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Run-dir entries that are namespace mounts on something other than a regular file of the run
 * dir: delete must refuse them and leave every mount in place, as it does for links; namespace
 * mounts stacked on a run-dir file (two creators racing) are still all detached. And no thread
 * the library starts lazily is born in the namespace of the thread that happened to call first.
 */
@RequiresPrivileges
class NamedNamespaceAttackTest {

    private static final Path RUN_DIR = Path.of("/run/netns");

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void aNamespaceMountedOnAFifoInTheRunDirIsNotDetachedByDelete() throws Exception {
        Netns.newNamed(namespaces.newName()).close(); // makes sure the run dir exists
        String name = namespaces.newName() + "-fifo";
        Path entry = RUN_DIR.resolve(name);
        Commands.check("mkfifo", entry.toString());
        try {
            Commands.check("mount", "--bind", "/proc/self/ns/net", entry.toString());
            assertThat(mountsOn(entry)).hasSize(1);

            assertThatThrownBy(() -> Netns.deleteNamed(name)).isInstanceOf(NotANamespaceException.class);
            assertThat(mountsOn(entry)).as("the mount on the FIFO is left in place").hasSize(1);
        } finally {
            while (!mountsOn(entry).isEmpty() && Commands.run(List.of("umount", entry.toString())).exitCode() == 0) {
                // unmount all we stacked
            }
            Files.deleteIfExists(entry);
        }
    }

    @Test
    void aNamespaceMountedOnTopOfAForeignBindMountIsNotDetachedByDelete() throws Exception {
        Netns.newNamed(namespaces.newName()).close();
        String name = namespaces.newName() + "-over";
        Path entry = RUN_DIR.resolve(name);
        Path outside = Files.createTempFile("nt-outside-", ".txt");
        Files.createFile(entry);
        try {
            Commands.check("mount", "--bind", outside.toString(), entry.toString());
            Commands.check("mount", "--bind", "/proc/self/ns/net", entry.toString());
            assertThat(mountsOn(entry)).hasSize(2);

            assertThatThrownBy(() -> Netns.deleteNamed(name)).isInstanceOf(NotANamespaceException.class);
            assertThat(mountsOn(entry)).as("neither mount on the name is detached").hasSize(2);
        } finally {
            while (!mountsOn(entry).isEmpty() && Commands.run(List.of("umount", entry.toString())).exitCode() == 0) {
                // unmount all we stacked
            }
            Files.deleteIfExists(entry);
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void namespaceMountsStackedOnOneNameAreAllDetachedAndTheFileRemoved() throws Exception {
        String name = namespaces.ipNetnsAdd();
        Path entry = RUN_DIR.resolve(name);
        try {
            Commands.check("mount", "--bind", "/proc/self/ns/net", entry.toString());
            assertThat(mountsOn(entry)).hasSize(2);

            Netns.deleteNamed(name);

            assertThat(mountsOn(entry)).isEmpty();
            assertThat(Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        } finally {
            while (!mountsOn(entry).isEmpty() && Commands.run(List.of("umount", entry.toString())).exitCode() == 0) {
                // unmount all we stacked
            }
        }
    }

    @Test
    void aDeepPileOfNamespaceMountsOnOneNameCanStillBeDeleted() throws Exception {
        String name = namespaces.ipNetnsAdd();
        Path entry = RUN_DIR.resolve(name);
        try {
            for (int i = 0; i < 40; i++) { // as a tool mounting by path in a loop leaves them
                Commands.check("mount", "--bind", "/proc/self/ns/net", entry.toString());
            }
            for (int call = 0; call < 10 && Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS); call++) {
                try {
                    Netns.deleteNamed(name);
                } catch (NetnsException e) {
                    assertThat(e.errnoName()).as(e.getMessage()).isEqualTo("EBUSY"); // a bounded number per call
                }
            }
            assertThat(mountsOn(entry)).isEmpty();
            assertThat(Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        } finally {
            while (!mountsOn(entry).isEmpty() && Commands.run(List.of("umount", entry.toString())).exitCode() == 0) {
                // unmount all we stacked
            }
        }
    }

    @Test
    void noLibraryThreadIsBornInTheNamespaceOfTheThreadThatMadeTheFirstCall() throws Exception {
        Process jvm = new ProcessBuilder(ChildJvm.command(ChildJvm.classpath(), List.of(),
                FirstCallAwayFromHomeProbe.class.getName())).redirectErrorStream(true).start();
        String output;
        try {
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            jvm.destroyForcibly();
        }
        assertThat(output).as("the child's output").contains("done");
        assertThat(output.lines().filter(line -> line.startsWith("stray ")).toList())
                .as("threads left outside the host namespace once the caller has ended").isEmpty();
    }

    @Test
    void aWorkerStartedForACallerInAnotherUtsNamespaceIsInTheHostsUtsNamespace() throws Exception {
        String name = namespaces.ipNetnsAdd();
        NamespaceId hostUts = dev.netns.internal.Syscalls.idOf("/proc/self/ns/uts", null);
        java.util.concurrent.atomic.AtomicReference<Object> workerUts = new java.util.concurrent.atomic.AtomicReference<>();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            Thread caller = new Thread(() -> {
                try {
                    dev.netns.internal.Syscalls.unshare(NamespaceType.UTS); // dies with this thread
                    workerUts.set(template.execute(name, ns -> dev.netns.internal.Syscalls.idOf("/proc/thread-self/ns/uts", null)));
                } catch (Throwable e) {
                    workerUts.set(e);
                }
            }, "nt-uts-caller");
            caller.start();
            caller.join();
        }
        assertThat(workerUts.get()).as("the UTS namespace the callback ran in").isEqualTo(hostUts);
    }

    private static List<String> mountsOn(Path mountPoint) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.split(" ")[4].equals(mountPoint.toString())).toList();
    }
}
