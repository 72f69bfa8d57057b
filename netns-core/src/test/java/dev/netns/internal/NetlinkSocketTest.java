package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.NetnsException;
import dev.netns.testsupport.Fds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The netlink plumbing under the interface listing; reading interfaces needs no privilege. */
class NetlinkSocketTest {

    private static final long O_CLOEXEC_FLAG = 02000000; // as /proc/self/fdinfo prints flags, in octal

    @Test
    void theSocketIsCloseOnExecAndClosedByClose() throws Exception {
        int fd;
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            fd = socket.fd();
            assertThat(Fds.flags(fd) & O_CLOEXEC_FLAG).isNotZero();
            Path link = Path.of("/proc/self/fd/" + fd);
            assertThat(Files.readSymbolicLink(link).toString()).startsWith("socket:");
        }
        assertThat(Path.of("/proc/self/fd/" + fd)).doesNotExist();
    }

    @Test
    void aDumpHandsOverEveryReplyInOrderUntilDone() {
        List<Integer> types = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            boolean consistent = socket.dump(18, "RTM_GETLINK", new byte[16], (type, message) -> {
                types.add(type);
                indexes.add(message.getInt(4)); // ifinfomsg.ifi_index, read in native order
            });
            assertThat(consistent).isTrue();
            // A second request on the same socket sees only its own replies.
            List<Integer> again = new ArrayList<>();
            socket.dump(18, "RTM_GETLINK", new byte[16], (type, message) -> again.add(message.getInt(4)));
            assertThat(again).isEqualTo(indexes);
        }
        assertThat(types).isNotEmpty().containsOnly(16); // RTM_NEWLINK
        assertThat(indexes).first().isEqualTo(1); // lo
        assertThat(indexes).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aRefusedRequestBecomesANetnsExceptionNamingItAndItsErrno() {
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            // a message type above RTM_MAX: the kernel answers NLMSG_ERROR with -EOPNOTSUPP
            assertThatThrownBy(() -> socket.dump(1000, "RTM_UNKNOWN", new byte[16], (type, message) -> { }))
                    .isExactlyInstanceOf(NetnsException.class)
                    .hasMessage("RTM_UNKNOWN(NLM_F_REQUEST|NLM_F_DUMP) failed: EOPNOTSUPP (Operation not supported)")
                    .satisfies(e -> assertThat(((NetnsException) e).errnoName()).isEqualTo("EOPNOTSUPP"));
            // the socket stays usable for the next request
            assertThat(socket.dump(18, "RTM_GETLINK", new byte[16], (type, message) -> { })).isTrue();
        }
    }
}
