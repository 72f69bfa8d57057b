package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.Mounts;
import dev.netns.testsupport.OwnTempDir;
import dev.netns.testsupport.RequiresPrivileges;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tries to make the copy of the run dir's mount that a runtime holds for its deletes answer for
 * another directory than the run dir is by now, or pile up: the run dir is covered by a tmpfs,
 * bound from elsewhere, uncovered again, replaced by a new directory and by a symbolic link
 * between the deletes of one runtime, and the default run dir is switched by several threads
 * while others delete. After each change a namespace mounted on a FIFO, a device or a socket of
 * the run dir must still be refused and left mounted, a real named namespace still deleted, and at
 * most one copy held.
 */
@RequiresPrivileges
class RunDirSwapAttackTest {

    private final String prefix = "nt-swap-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000 + "-";
    @RegisterExtension
    final OwnTempDir folder = new OwnTempDir("nt-swap-");
    private int counter;

    @Test
    void aRunDirChangedBetweenDeletesNeverGetsAnAnswerForAnotherDirectory() throws Exception {
        long copiesBefore = Fds.detachedMounts();
        List<String> fdsBefore = Fds.targets();
        try (NetnsRuntime runtime = NetnsRuntime.builder().runDirectory(folder.runDir()).build()) {
            attack(runtime, "the run dir as the runtime prepared it", copiesBefore);

            Commands.check("mount", "-t", "tmpfs", "nt-swap", folder.runDir().toString());
            attack(runtime, "a tmpfs over the run dir", copiesBefore);

            Path elsewhere = Files.createDirectory(folder.dir().resolve("elsewhere"));
            Commands.check("mount", "--bind", elsewhere.toString(), folder.runDir().toString());
            attack(runtime, "a directory bound over it from elsewhere", copiesBefore);

            Commands.check("umount", "-l", folder.runDir().toString());
            attack(runtime, "the tmpfs again, uncovered", copiesBefore);

            Mounts.unmountAllUnder(folder.runDir());
            ChildJvm.deleteRecursively(folder.runDir());
            Files.createDirectory(folder.runDir());
            attack(runtime, "a new directory of the same name", copiesBefore);

            Mounts.unmountAllUnder(folder.runDir());
            ChildJvm.deleteRecursively(folder.runDir());
            Path target = Files.createDirectory(folder.dir().resolve("target"));
            Files.createSymbolicLink(folder.runDir(), target);
            attack(runtime, "a symbolic link to another directory", copiesBefore);
        }
        assertThat(Fds.detachedMounts()).as("the copy is closed with the runtime").isEqualTo(copiesBefore);
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
    }

    @Test
    void switchingTheDefaultRunDirFromSeveralThreadsWhileOthersDeleteLeavesNoCopyBehind() throws Exception {
        Path previous = Netns.runDirectory();
        List<Path> runDirs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path each = folder.dir().resolve("run-" + i);
            Netns.setRunDirectory(each);
            Netns.newNamed(prefix + "prepare").close(); // made a shared mount point
            Netns.deleteNamed(prefix + "prepare");
            Path fifo = each.resolve(prefix + "fifo");
            Commands.check("mkfifo", fifo.toString());
            Commands.check("mount", "--bind", "/proc/self/ns/net", fifo.toString());
            runDirs.add(each);
        }
        Netns.setRunDirectory(previous);
        long copiesBefore = Fds.detachedMounts();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int t = 0; t < 2; t++) {
                int first = t;
                threads.add(new Thread(() -> {
                    for (int i = first; !stop.get(); i++) {
                        Netns.setRunDirectory(runDirs.get(i % runDirs.size()));
                    }
                }, "nt-swap-switcher-" + t));
            }
            for (int t = 0; t < 2; t++) {
                threads.add(new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            Netns.deleteNamed(prefix + "fifo");
                            unexpected.add(new AssertionError("a namespace on a FIFO was deleted"));
                        } catch (NotANamespaceException | NamespaceNotFoundException expected) {
                            // refused (NotFound: the default run dir was the previous one for a moment)
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                    }
                }, "nt-swap-deleter-" + t));
            }
            threads.forEach(Thread::start);
            TimeUnit.SECONDS.sleep(3);
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            Netns.setRunDirectory(previous);
        }
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(unexpected).isEmpty();
        for (Path each : runDirs) {
            assertThat(Mounts.at(each.resolve(prefix + "fifo"))).as("the mount on the FIFO stays").hasSize(1);
        }
        assertThat(Fds.detachedMounts()).as("every run dir switched away from released its copy")
                .isEqualTo(copiesBefore);
    }

    /** Namespaces on a FIFO, a device and a socket are refused and stay; a real one is deleted. */
    private void attack(NetnsRuntime runtime, String situation, long copiesBefore) throws Exception {
        String real = prefix + counter++;
        runtime.newNamed(real).close();
        Path runDir = folder.runDir();
        List<Path> odd = List.of(runDir.resolve(prefix + "fifo-" + counter), runDir.resolve(prefix + "device-" + counter),
                runDir.resolve(prefix + "socket-" + counter));
        Commands.check("mkfifo", odd.get(0).toString());
        Commands.check("mknod", odd.get(1).toString(), "c", "1", "3"); // /dev/null's numbers
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(odd.get(2)));
        }
        for (Path entry : odd) {
            Commands.check("mount", "--bind", "/proc/self/ns/net", entry.toString());
        }
        for (Path entry : odd) {
            assertThatThrownBy(() -> runtime.deleteNamed(entry.getFileName().toString()))
                    .as("%s: %s", situation, entry).isInstanceOf(NotANamespaceException.class);
            assertThat(Mounts.at(entry.toRealPath())).as("%s: the mount on %s stays", situation, entry).hasSize(1);
        }
        runtime.deleteNamed(real);
        assertThat(Files.exists(runDir.resolve(real), LinkOption.NOFOLLOW_LINKS)).as(situation).isFalse();
        assertThat(Mounts.at(runDir.toRealPath().resolve(real))).as(situation).isEmpty();
        assertThat(Fds.detachedMounts()).as("%s: one copy held", situation).isEqualTo(copiesBefore + 1);
    }
}
