package dev.netns.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Namespace ids (nsid) over rtnetlink, as {@code ip netns set} and {@code ip netns list-id} use
 * them: the id by which the calling thread's network namespace knows another one, which netlink
 * messages carry as {@code link-netnsid}. Each call opens a netlink socket in the calling thread's
 * namespace; the thread itself never moves.
 */
public final class NamespaceIds {

    private static final int RTM_NEWNSID = 88;
    private static final int RTM_GETNSID = 90;
    private static final int NETNSA_NSID = 1;
    private static final int NETNSA_FD = 3;
    private static final int NETNSA_NSID_NOT_ASSIGNED = -1;
    private static final int RTGENMSG_SIZE = 4; // struct rtgenmsg: one byte of family, aligned to 4

    private NamespaceIds() {
    }

    /** The id the calling thread's namespace knows the namespace of {@code fd} by ({@code RTM_GETNSID}), or empty. */
    public static OptionalInt of(int fd) {
        Linux.require();
        int[] nsid = {NETNSA_NSID_NOT_ASSIGNED};
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            socket.request(RTM_GETNSID, "RTM_GETNSID", "fd=" + fd, false, request(fd, null), (type, message) -> {
                if (type == RTM_NEWNSID) {
                    NetlinkSocket.forEachAttribute(message, RTGENMSG_SIZE, (attribute, offset, length) -> {
                        if (attribute == NETNSA_NSID && length >= 4) {
                            nsid[0] = message.getInt(offset);
                        }
                    });
                }
            });
        }
        return nsid[0] < 0 ? OptionalInt.empty() : OptionalInt.of(nsid[0]);
    }

    /**
     * Gives the namespace of {@code fd} the id {@code nsid} in the calling thread's namespace
     * ({@code RTM_NEWNSID}). Errors: EEXIST when it has an id already or the id is taken, EPERM
     * without CAP_NET_ADMIN.
     */
    public static void set(int fd, int nsid) {
        Linux.require();
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            socket.request(RTM_NEWNSID, "RTM_NEWNSID", "nsid=" + nsid + ", fd=" + fd, true, request(fd, nsid),
                    (type, message) -> { });
        }
    }

    /** A {@code rtgenmsg} with {@code NETNSA_FD}, and {@code NETNSA_NSID} when given. */
    private static byte[] request(int fd, @Nullable Integer nsid) {
        int attributes = nsid == null ? 1 : 2;
        ByteBuffer body = ByteBuffer.allocate(RTGENMSG_SIZE + attributes * (NetlinkSocket.RTA_HDRLEN + 4))
                .order(ByteOrder.nativeOrder());
        body.position(RTGENMSG_SIZE); // rtgen_family AF_UNSPEC
        putU32(body, NETNSA_FD, fd);
        if (nsid != null) {
            putU32(body, NETNSA_NSID, nsid);
        }
        return body.array();
    }

    private static void putU32(ByteBuffer body, int type, int value) {
        body.putShort((short) (NetlinkSocket.RTA_HDRLEN + 4)).putShort((short) type).putInt(value);
    }
}
