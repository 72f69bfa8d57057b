package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.NamespaceId;
import dev.netns.Netns;
import dev.netns.NotANamespaceException;
import dev.netns.NsHandle;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the namespace creator opens as "the namespace this thread is in now": through a pidfd of the
 * thread (no path), or through {@code /proc/thread-self/ns/net} proven nsfs first. Either way it is
 * the namespace the thread is in at that moment, and a FIFO mounted over the thread's own
 * {@code /proc} entry is never opened.
 */
@RequiresPrivileges
class ThreadNetNamespaceTest {

    @AfterEach
    void pidfdsAgain() {
        ThreadNetNamespace.usePidfds(true);
    }

    @Test
    void opensTheNamespaceTheThreadIsInNowThroughAPidfdWhereTheKernelCanAndThroughProcElsewhere() throws Exception {
        for (boolean pidfds : new boolean[] {true, false}) {
            ThreadNetNamespace.usePidfds(pidfds);
            OnThread.call(() -> {
                try (NsHandle home = Netns.get(); NsHandle other = Netns.newNamespace()) { // the thread is in other now
                    try (ThreadNetNamespace own = ThreadNetNamespace.ofCallingThread(Syscalls.gettid())) {
                        assertThat(idOfOpened(own)).isEqualTo(other.id());
                        assertThat(own.throughPidfd()).as("through a pidfd").isEqualTo(pidfds && kernelHasPidfdNamespaces());
                        Netns.set(home);
                        assertThat(idOfOpened(own)).as("opened again after a move: where the thread is now").isEqualTo(home.id());
                    }
                }
                return null;
            });
        }
    }

    @Test
    void aFifoMountedOverTheThreadsProcEntryIsNeverOpened() throws Exception {
        Path fifo = Files.createTempDirectory("nt-thread-ns-").resolve("fifo");
        Commands.check("mkfifo", fifo.toString());
        try {
            OnThread.call(() -> {
                int tid = Syscalls.gettid();
                Path entry = Path.of("/proc/self/task/" + tid + "/ns/net");
                mountOver(entry, fifo);
                Thread watchdog = releaseReadersOfLater(fifo); // an open that waited for a writer would fail, not hang
                try {
                    ThreadNetNamespace.usePidfds(true);
                    try (ThreadNetNamespace own = ThreadNetNamespace.ofCallingThread(tid)) {
                        if (kernelHasPidfdNamespaces()) {
                            int fd = own.open(null);
                            try {
                                assertThat(Syscalls.idOf(fd)).as("the thread's namespace, not what is mounted on its entry")
                                        .isEqualTo(Syscalls.idOf("/proc/self/ns/net", null));
                            } finally {
                                Syscalls.closeQuietly(fd);
                            }
                        }
                    }
                    ThreadNetNamespace.usePidfds(false); // the path is looked up: it leads to the FIFO, refused unopened
                    try (ThreadNetNamespace own = ThreadNetNamespace.ofCallingThread(tid)) {
                        assertThatThrownBy(() -> own.open(null)).isInstanceOf(NotANamespaceException.class)
                                .hasMessageContaining("a FIFO");
                    }
                } finally {
                    watchdog.interrupt();
                    assertThat(Syscalls.tryUmount2(entry.toString(), Syscalls.MNT_DETACH | Syscalls.UMOUNT_NOFOLLOW))
                            .as("unmount the FIFO from %s", entry).isZero();
                }
                return null;
            });
        } finally {
            Files.delete(fifo);
            Files.delete(fifo.getParent());
        }
    }

    /** After 20 s, opens the FIFO read-write, which releases whoever waits in an open of it for a writer. */
    private static Thread releaseReadersOfLater(Path fifo) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(20_000);
                try (FileChannel writer = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    // opened: a waiting reader got its writer
                }
            } catch (InterruptedException | IOException e) {
                // not needed, or gone
            }
        }, "nt-fifo-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }

    private static NamespaceId idOfOpened(ThreadNetNamespace own) {
        int fd = own.open(null);
        try {
            return Syscalls.idOf(fd);
        } finally {
            Syscalls.closeQuietly(fd);
        }
    }

    /** Linux 6.11 and later: thread pidfds (6.9) with namespace ioctls (6.11). */
    private static boolean kernelHasPidfdNamespaces() {
        int pidfd = Syscalls.tryThreadPidfd(Syscalls.gettid());
        if (pidfd < 0) {
            return false;
        }
        try {
            int fd = Syscalls.tryNetNamespaceOf(pidfd);
            Syscalls.closeQuietly(fd);
            return fd >= 0;
        } finally {
            Syscalls.closeQuietly(pidfd);
        }
    }

    /** Mounts {@code file} over a {@code /proc} namespace entry itself (the link, not where it leads), as only the fd mount API can. */
    private static void mountOver(Path entry, Path file) {
        int link = Syscalls.tryOpenAt(-100, RunDirectory.nativeBytes(entry.toString()), Syscalls.O_PATH | Syscalls.O_NOFOLLOW, 0);
        assertThat(link).as("open %s O_PATH|O_NOFOLLOW", entry).isNotNegative();
        int tree = MountApi.open_tree(-100, file.toString(), MountApi.OPEN_TREE_CLONE | Syscalls.O_CLOEXEC);
        try {
            assertThat(tree).as("open_tree of the FIFO").isNotNegative();
            assertThat(MountApi.move_mount(tree, "", link, "", MountApi.MOVE_MOUNT_F_EMPTY_PATH | MountApi.MOVE_MOUNT_T_EMPTY_PATH))
                    .as("move_mount over %s", entry).isZero();
        } finally {
            Syscalls.closeQuietly(tree);
            Syscalls.closeQuietly(link);
        }
    }
}
