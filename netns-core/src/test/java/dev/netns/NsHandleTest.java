package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresPrivileges
class NsHandleTest {

    @Test
    void noneIsClosedAndFormatsAsGoDoes() {
        NsHandle none = Netns.none();
        assertThat(none.fd()).isEqualTo(-1);
        assertThat(none.isOpen()).isFalse();
        assertThat(none.id()).isNull();
        assertThat(none.uniqueId()).isEqualTo("NS(none)");
        assertThat(none).hasToString("NS(none)");
        assertThat(none.equal(Netns.none())).isTrue();
        assertThat(none).isEqualTo(Netns.none());
        none.close();
        assertThat(none.isOpen()).isFalse();
    }

    @Test
    void openHandleFormatsAsGoDoes() throws IOException {
        try (NsHandle handle = Netns.get()) {
            String[] stat = Commands.check("stat", "-L", "-c", "%d %i", "/proc/thread-self/ns/net").trim().split(" ");
            assertThat(handle.isOpen()).isTrue();
            assertThat(handle.type()).isEqualTo(NamespaceType.NET);
            assertThat(handle.id()).isEqualTo(new NamespaceId(Long.parseLong(stat[0]), Long.parseLong(stat[1])));
            assertThat(handle.uniqueId()).isEqualTo("NS(" + stat[0] + ":" + stat[1] + ")");
            assertThat(handle).hasToString("NS(" + handle.fd() + ": " + stat[0] + ", " + stat[1] + ")");
            assertThat(handle.id()).hasToString(stat[0] + ":" + stat[1]);
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + handle.fd())).toString())
                    .isEqualTo("net:[" + stat[1] + "]");
        }
    }

    @Test
    void equalComparesNamespacesWhileOpenAndFdNumbersOnceClosed() {
        NsHandle a = Netns.get();
        NsHandle b = Netns.fromPath("/proc/self/ns/net");
        try (NsHandle uts = Netns.get(NamespaceType.UTS)) {
            assertThat(a.fd()).isNotEqualTo(b.fd());
            assertThat(a.equal(b)).isTrue();
            assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
            assertThat(uts.type()).isEqualTo(NamespaceType.UTS);
            assertThat(a.equal(uts)).isFalse();
            b.close();
            assertThat(a.equal(b)).isFalse();
            assertThat(b.equal(Netns.none())).isTrue(); // both fds are -1, as in Go
            assertThat(b.uniqueId()).isEqualTo("NS(none)");
            assertThat(b).hasToString("NS(none)");
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b).isEqualTo(a);
        } finally {
            a.close();
        }
    }

    @Test
    void closeIsIdempotentAndNeverClosesAnFdItNoLongerOwns(@TempDir Path dir) throws IOException {
        NsHandle handle = Netns.get();
        int fd = handle.fd();
        handle.close();
        assertThat(handle.fd()).isEqualTo(-1);
        assertThat(handle.isOpen()).isFalse();
        // The kernel hands out the lowest free fd: opening files soon reuses the number just freed.
        Path file = Files.writeString(dir.resolve("reuse"), "still open");
        List<RandomAccessFile> opened = new ArrayList<>();
        try {
            RandomAccessFile other = null;
            while (other == null && opened.size() < 64) {
                RandomAccessFile next = new RandomAccessFile(file.toFile(), "r");
                opened.add(next);
                if (Files.exists(Path.of("/proc/self/fd/" + fd)) && file.equals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)))) {
                    other = next;
                }
            }
            assertThat(other).as("a file opened on fd " + fd).isNotNull();
            handle.close();
            assertThat(other.readLine()).isEqualTo("still open");
            assertThat(Path.of("/proc/self/fd/" + fd)).exists();
        } finally {
            for (RandomAccessFile each : opened) {
                each.close();
            }
        }
    }

    @Test
    void handlesAreOpenedCloseOnExecAndNotInheritedByChildren() {
        long cloexec = 02000000L;
        try (NsHandle current = Netns.get(); NsHandle byPath = Netns.fromPath("/proc/self/ns/net");
                NsHandle byPid = Netns.fromPid((int) ProcessHandle.current().pid())) {
            for (NsHandle handle : new NsHandle[] {current, byPath, byPid}) {
                assertThat(Fds.flags(handle.fd()) & cloexec).as("O_CLOEXEC on %s", handle).isEqualTo(cloexec);
            }
            String childFds = Commands.check("sh", "-c", "ls -l /proc/$$/fd");
            assertThat(childFds).doesNotContain("net:[");
        }
    }

    @Test
    void openHandlesListsEachHandleWithItsSourceThreadAndTime() {
        try (NsHandle handle = Netns.fromPid((int) ProcessHandle.current().pid())) {
            assertThat(Netns.openHandles()).anySatisfy(info -> {
                assertThat(info.fd()).isEqualTo(handle.fd());
                assertThat(info.uniqueId()).isEqualTo(handle.uniqueId());
                assertThat(info.type()).isEqualTo(NamespaceType.NET);
                assertThat(info.source()).isEqualTo("pid:" + ProcessHandle.current().pid());
                assertThat(info.thread()).isEqualTo(Thread.currentThread().getName());
                assertThat(info.openedAt()).isBeforeOrEqualTo(java.time.Instant.now());
            });
            int fd = handle.fd();
            handle.close();
            assertThat(Netns.openHandles()).noneSatisfy(info -> assertThat(info.fd()).isEqualTo(fd));
        }
    }

    @Test
    void closedHandleCannotBeEntered() {
        NsHandle handle = Netns.get();
        handle.close();
        assertThatThrownBy(() -> Netns.set(handle)).isInstanceOf(NetnsException.class)
                .hasMessageContaining("setns(fd=-1, CLONE_NEWNET) failed: EBADF")
                .satisfies(e -> assertThat(((NetnsException) e).errnoName()).isEqualTo("EBADF"));
    }
}
