package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.IpAddr;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link InterfaceSnapshots}: the interfaces inside a namespace, with nothing of this JVM left holding it. */
@RequiresPrivileges
class InterfaceSnapshotsTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void listsWhatIpSeesThereAndKeepsNothingThatHoldsTheNamespace() throws Exception {
        String name = namespaces.ipNetnsAdd();
        Commands.check("ip", "-n", name, "link", "set", "lo", "up");
        Commands.check("ip", "-n", name, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        Commands.check("ip", "-n", name, "addr", "add", "198.18.40.1/24", "dev", "d0");
        NamespaceId here;
        try (NsHandle self = Netns.get()) {
            here = self.id();
        }
        List<NetworkInterfaceInfo> listed;
        NamespaceId id;
        try (NsHandle ns = Netns.fromName(name)) {
            id = ns.id();
            listed = InterfaceSnapshots.of(ns);
        }
        assertThat(listed.stream().map(NetworkInterfaceInfo::name).toList())
                .isEqualTo(IpAddr.in(name).stream().map(NetworkInterfaceInfo::name).toList());
        assertThat(listed.stream().filter(link -> link.name().equals("d0")).findFirst().orElseThrow().addresses())
                .extracting(InterfaceAddressInfo::address).containsExactly("198.18.40.1");
        try (NsHandle self = Netns.get()) {
            assertThat(self.id()).as("the caller never moved").isEqualTo(here);
        }
        // no fd, no thread of this JVM refers to the namespace any more: deleting the name frees it
        assertThat(holders(id)).isEmpty();
        assertThat(Netns.openHandles()).noneMatch(handle -> handle.uniqueId().equals("NS(" + id + ")"));
    }

    @Test
    void refusesAClosedHandle() {
        NsHandle closed = Netns.get();
        closed.close();
        assertThatThrownBy(() -> InterfaceSnapshots.of(closed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("closed");
    }

    /** The fds and threads of this process that are in, or refer to, the namespace with this id. */
    private static List<String> holders(NamespaceId id) throws IOException {
        String link = "net:[" + id.inode() + "]";
        List<String> found = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(link)) {
                        found.add("fd " + fd.getFileName());
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    if (Files.readSymbolicLink(task.resolve("ns/net")).toString().equals(link)) {
                        found.add("thread " + task.getFileName());
                    }
                } catch (IOException e) {
                    // ended meanwhile
                }
            });
        }
        return found;
    }
}
