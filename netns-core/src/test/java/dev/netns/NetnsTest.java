package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@RequiresPrivileges
class NetnsTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    /** The seed's usage example: save the namespace, create one, look inside, switch back, close. */
    @Test
    void seedExampleCreatesLooksInsideAndSwitchesBack() throws Exception {
        List<String> inside = OnThread.call(() -> {
            try (NsHandle origns = Netns.get()) {
                List<String> names;
                try (NsHandle newns = Netns.newNamespace()) {
                    assertThat(newns.equal(origns)).isFalse();
                    assertThat(Netns.get()).satisfies(now -> {
                        assertThat(now.equal(newns)).isTrue();
                        now.close();
                    });
                    // Not java.net.NetworkInterface: its IPv6 half reads the process leader's /proc/net.
                    names = Files.readAllLines(Path.of("/proc/thread-self/net/dev")).stream().skip(2)
                            .map(line -> line.substring(0, line.indexOf(':')).strip()).toList();
                    Netns.set(origns);
                }
                try (NsHandle back = Netns.get()) {
                    assertThat(back.equal(origns)).isTrue();
                }
                return names;
            }
        });
        assertThat(inside).containsExactly("lo");
    }

    @Test
    void getReadsTheCallingThreadNotTheProcess() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NsHandle host = Netns.fromPath("/proc/self/ns/net"); NsHandle target = Netns.fromName(name)) {
            OnThread.call(() -> {
                Netns.set(target);
                try (NsHandle current = Netns.get(); NsHandle leader = Netns.fromPath("/proc/self/ns/net")) {
                    assertThat(current.equal(target)).isTrue();
                    assertThat(leader.equal(host)).isTrue();
                } finally {
                    Netns.set(host);
                }
                return null;
            });
        }
    }

    @Test
    void threadsShowsAThreadMovedIntoAnotherNamespaceAsAStray() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NsHandle host = Netns.get(); NsHandle target = Netns.fromName(name)) {
            CountDownLatch moved = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger tid = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    Netns.set(target);
                    tid.set(Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
                    moved.countDown();
                    release.await();
                    Netns.set(host);
                } catch (Throwable e) {
                    failure.set(e);
                    moved.countDown();
                }
            }, "nt-moved-thread");
            thread.start();
            moved.await();
            try {
                assertThat(failure.get()).isNull();
                List<ThreadNamespace> threads = Netns.threads();
                assertThat(threads).filteredOn(t -> t.tid() == tid.get()).singleElement().satisfies(t -> {
                    assertThat(t.netns()).isEqualTo(target.id());
                    assertThat(t.host()).isFalse();
                    assertThat(t.stray()).isTrue();
                    assertThat(t.name()).isEqualTo("nt-moved-thread");
                });
                assertThat(threads).filteredOn(t -> t.tid() != tid.get()).allSatisfy(t -> assertThat(t.host()).isTrue());
                try (NsHandle viaThread = Netns.fromThread((int) ProcessHandle.current().pid(), tid.get())) {
                    assertThat(viaThread.equal(target)).isTrue();
                }
            } finally {
                release.countDown();
                thread.join();
            }
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void setRefusesAHandleOfAnotherType() throws Exception {
        try (NsHandle uts = Netns.get(NamespaceType.UTS)) {
            OnThread.call(() -> {
                assertThatThrownBy(() -> Netns.set(uts)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("uts namespace");
                return null;
            });
        }
    }

    @Test
    void fromPathRefusesAFileThatIsNotANamespace(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-namespace"), "x");
        assertThatThrownBy(() -> Netns.fromPath(file.toString())).isExactlyInstanceOf(NotANamespaceException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("is not a namespace file");
        assertThatThrownBy(() -> Netns.fromPath(dir.resolve("missing").toString()))
                .isInstanceOf(NamespaceNotFoundException.class).hasMessageContaining("ENOENT");
        assertThat(dev.netns.testsupport.Fds.targets()).noneMatch(target -> target.startsWith(dir.toString()));
    }

    @Test
    void fromPathRefusesAFifoAtOnceInsteadOfWaitingForAWriter(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        Commands.check("mkfifo", fifo.toString());
        Path runDir = Files.createDirectory(dir.resolve("run"));
        Commands.check("mkfifo", runDir.resolve("nt-fifo").toString());
        Path previous = Netns.runDirectory();
        try {
            Netns.setRunDirectory(runDir);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThatThrownBy(() -> Netns.fromPath(fifo.toString())).isExactlyInstanceOf(NotANamespaceException.class)
                        .hasMessageContaining("is not a namespace file");
                assertThatThrownBy(() -> Netns.fromName("nt-fifo")).isExactlyInstanceOf(NotANamespaceException.class)
                        .hasMessageContaining("is not a namespace file");
            });
        } finally {
            Netns.setRunDirectory(previous);
        }
        assertThat(dev.netns.testsupport.Fds.targets()).noneMatch(target -> target.startsWith(dir.toString()));
    }

    @Test
    void fromPidOfAMissingProcessIsNotFound() {
        int pid = 4_000_000; // above pid_max's ceiling of 2^22
        assertThatThrownBy(() -> Netns.fromPid(pid)).isInstanceOf(NamespaceNotFoundException.class)
                .hasMessageContaining("/proc/" + pid + "/ns/net").hasMessageContaining("ENOENT");
        assertThatThrownBy(() -> Netns.fromThread((int) ProcessHandle.current().pid(), pid))
                .isInstanceOf(NamespaceNotFoundException.class);
    }

    @Test
    void pidsInAndNamesOfMatchIpNetnsPidsAndIdentify() throws Exception {
        String name = namespaces.ipNetnsAdd();
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", name, "sleep", "60").start();
        try (NsHandle target = Netns.fromName(name)) {
            org.awaitility.Awaitility.await().until(() -> !Netns.pidsIn(target).isEmpty());
            assertThat(Netns.pidsIn(target)).containsExactly((int) sleeper.pid());
            assertThat(Commands.check("ip", "netns", "pids", name).trim()).isEqualTo(Long.toString(sleeper.pid()));
            assertThat(Netns.namesOf(target)).containsExactly(name);
            assertThat(Commands.check("ip", "netns", "identify", Long.toString(sleeper.pid())).trim()).isEqualTo(name);
            try (NsHandle fromPid = Netns.fromPid((int) sleeper.pid())) {
                assertThat(fromPid.equal(target)).isTrue();
            }
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
        try (NsHandle host = Netns.get()) {
            assertThat(Netns.namesOf(host)).doesNotContain(name);
            assertThat(Netns.pidsIn(host)).contains((int) ProcessHandle.current().pid());
        }
    }
}
