package dev.netns.internal;

import dev.netns.InterfaceAddressInfo;
import dev.netns.NetnsException;
import dev.netns.NetworkInterfaceInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lists the interfaces and addresses of the calling thread's network namespace the way
 * {@code ip addr} does: an {@code RTM_GETLINK} dump, then an {@code RTM_GETADDR} dump, each
 * address put under its interface. Unlike {@code java.net.NetworkInterface}, which reads IPv6
 * addresses from the thread-group leader's {@code /proc/net/if_inet6}, nothing here looks
 * outside the namespace the socket was opened in.
 */
public final class InterfaceListing {

    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_GETADDR = 22;

    // struct ifinfomsg: u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change
    private static final int IFINFOMSG_SIZE = 16;
    private static final int IFLA_ADDRESS = 1;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_OPERSTATE = 16;
    private static final int IFLA_EXT_MASK = 29;
    private static final int RTEXT_FILTER_SKIP_STATS = 1 << 3; // counters are not wanted: smaller replies

    // struct ifaddrmsg: u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index
    private static final int IFADDRMSG_SIZE = 8;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;

    private static final int RTA_HDRLEN = NetlinkSocket.RTA_HDRLEN;

    private static final int IFF_UP = 0x1;
    private static final int IFF_LOWER_UP = 0x10000;

    // link types whose link-layer address is an IP address (linux/if_arp.h), as ip's ll_addr_n2a
    private static final int ARPHRD_TUNNEL = 768;
    private static final int ARPHRD_TUNNEL6 = 769;
    private static final int ARPHRD_SIT = 776;
    private static final int ARPHRD_IPGRE = 778;
    private static final int ARPHRD_IP6GRE = 823;

    /** {@code IF_OPER_*} by value, named as {@code ip} prints them. */
    private static final String[] OPER_STATES = {
        "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"
    };

    /** A dump the kernel flags as interrupted is taken again, this many times at most. */
    private static final int ATTEMPTS = 10;

    private InterfaceListing() {
    }

    /**
     * The interfaces of the calling thread's network namespace, in index order, each with its
     * addresses. The calling thread stays where it is.
     *
     * @throws NetnsException when the netlink socket cannot be opened or the kernel refuses a dump
     */
    public static List<NetworkInterfaceInfo> ofCallingThread() {
        Linux.require();
        try (NetlinkSocket socket = NetlinkSocket.openRoute()) {
            for (int attempt = 1; ; attempt++) {
                List<NetworkInterfaceInfo> interfaces = read(socket);
                if (interfaces != null) {
                    return interfaces;
                }
                if (attempt == ATTEMPTS) {
                    throw new NetnsException("The interfaces of the namespace kept changing during each of "
                            + ATTEMPTS + " netlink dumps (NLM_F_DUMP_INTR); try again");
                }
            }
        }
    }

    /** Both dumps on one socket, or {@code null} when the kernel flagged either as interrupted. */
    private static @Nullable List<NetworkInterfaceInfo> read(NetlinkSocket socket) {
        Map<Integer, Link> links = new LinkedHashMap<>();
        boolean consistent = socket.dump(RTM_GETLINK, "RTM_GETLINK", linkRequest(), (type, message) -> {
            if (type == RTM_NEWLINK) {
                Link link = parseLink(message);
                links.put(link.index, link);
            }
        });
        consistent &= socket.dump(RTM_GETADDR, "RTM_GETADDR", new byte[IFADDRMSG_SIZE], (type, message) -> {
            if (type == RTM_NEWADDR) {
                int index = message.getInt(4);
                Link link = links.get(index); // absent for an interface added between the dumps
                InterfaceAddressInfo address = parseAddress(message);
                if (link != null && address != null) {
                    link.addresses.add(address);
                }
            }
        });
        if (!consistent) {
            return null;
        }
        List<NetworkInterfaceInfo> interfaces = new ArrayList<>(links.size());
        for (Link link : links.values()) {
            interfaces.add(link.toInfo());
        }
        return interfaces;
    }

    /** An {@code ifinfomsg} for every family, then {@code IFLA_EXT_MASK}. */
    private static byte[] linkRequest() {
        byte[] body = new byte[IFINFOMSG_SIZE + RTA_HDRLEN + 4];
        ByteBuffer request = ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
        request.putShort(IFINFOMSG_SIZE, (short) (RTA_HDRLEN + 4));
        request.putShort(IFINFOMSG_SIZE + 2, (short) IFLA_EXT_MASK);
        request.putInt(IFINFOMSG_SIZE + RTA_HDRLEN, RTEXT_FILTER_SKIP_STATS);
        return body;
    }

    /** An interface being put together from its link message and then its address messages. */
    private static final class Link {
        int index;
        String name = "";
        int flags;
        int mtu;
        @Nullable String mac;
        String operState = OPER_STATES[0];
        final List<InterfaceAddressInfo> addresses = new ArrayList<>();

        NetworkInterfaceInfo toInfo() {
            return new NetworkInterfaceInfo(index, name, (flags & IFF_UP) != 0, (flags & IFF_LOWER_UP) != 0, mtu,
                    mac, operState, addresses);
        }
    }

    private static Link parseLink(ByteBuffer message) {
        requireLength(message, IFINFOMSG_SIZE, "RTM_NEWLINK");
        Link link = new Link();
        int linkType = message.getShort(2) & 0xffff;
        link.index = message.getInt(4);
        link.flags = message.getInt(8);
        NetlinkSocket.forEachAttribute(message, IFINFOMSG_SIZE, (type, offset, length) -> {
            switch (type) {
                case IFLA_IFNAME:
                    link.name = string(message, offset, length);
                    break;
                case IFLA_MTU:
                    if (length >= 4) {
                        link.mtu = message.getInt(offset);
                    }
                    break;
                case IFLA_ADDRESS:
                    if (length > 0) {
                        link.mac = linkLayerAddress(bytes(message, offset, length), linkType);
                    }
                    break;
                case IFLA_OPERSTATE:
                    if (length >= 1) {
                        int state = message.get(offset) & 0xff;
                        link.operState = state < OPER_STATES.length ? OPER_STATES[state] : Integer.toString(state);
                    }
                    break;
                default:
                    break;
            }
        });
        return link;
    }

    /** An IPv4 or IPv6 address message, or {@code null} for another family. */
    private static @Nullable InterfaceAddressInfo parseAddress(ByteBuffer message) {
        requireLength(message, IFADDRMSG_SIZE, "RTM_NEWADDR");
        int family = message.get(0) & 0xff;
        int size = family == Syscalls.AF_INET ? 4 : family == Syscalls.AF_INET6 ? 16 : 0;
        if (size == 0) {
            return null;
        }
        int prefixLength = message.get(1) & 0xff;
        int scope = message.get(3) & 0xff;
        byte[][] found = new byte[3][];
        NetlinkSocket.forEachAttribute(message, IFADDRMSG_SIZE, (type, offset, length) -> {
            if ((type == IFA_ADDRESS || type == IFA_LOCAL) && length == size) {
                found[type] = bytes(message, offset, length);
            }
        });
        // As ip: the own address is IFA_LOCAL, else IFA_ADDRESS; an IFA_ADDRESS that differs is the peer.
        byte[] local = found[IFA_LOCAL] != null ? found[IFA_LOCAL] : found[IFA_ADDRESS];
        if (local == null) {
            return null;
        }
        byte[] address = found[IFA_ADDRESS];
        String peer = address != null && !Arrays.equals(address, local) ? Syscalls.inetNtop(family, address) : null;
        return new InterfaceAddressInfo(family == Syscalls.AF_INET ? "inet" : "inet6", Syscalls.inetNtop(family, local),
                prefixLength, scopeName(scope), peer);
    }

    /** {@code ip}'s names for the scopes iproute2 ships in {@code rt_scopes}; a number for any other. */
    static String scopeName(int scope) {
        switch (scope) {
            case 0:
                return "global";
            case 200:
                return "site";
            case 253:
                return "link";
            case 254:
                return "host";
            case 255:
                return "nowhere";
            default:
                return Integer.toString(scope);
        }
    }

    /** {@code ip}'s {@code ll_addr_n2a}: hex bytes joined by colons, or an IP address for IP tunnels. */
    static String linkLayerAddress(byte[] address, int linkType) {
        if (address.length == 4 && (linkType == ARPHRD_TUNNEL || linkType == ARPHRD_SIT || linkType == ARPHRD_IPGRE)) {
            return Syscalls.inetNtop(Syscalls.AF_INET, address);
        }
        if (address.length == 16 && (linkType == ARPHRD_TUNNEL6 || linkType == ARPHRD_IP6GRE)) {
            return Syscalls.inetNtop(Syscalls.AF_INET6, address);
        }
        StringBuilder text = new StringBuilder(address.length * 3);
        for (byte b : address) {
            if (text.length() > 0) {
                text.append(':');
            }
            text.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return text.toString();
    }

    private static void requireLength(ByteBuffer message, int size, String type) {
        if (message.limit() < size) {
            throw new NetnsException("Malformed netlink " + type + " message: " + message.limit()
                    + " bytes, its header alone is " + size);
        }
    }

    private static byte[] bytes(ByteBuffer message, int offset, int length) {
        byte[] bytes = new byte[length];
        message.get(offset, bytes);
        return bytes;
    }

    /** A NUL-terminated string attribute. */
    private static String string(ByteBuffer message, int offset, int length) {
        int end = offset;
        while (end < offset + length && message.get(end) != 0) {
            end++;
        }
        return new String(bytes(message, offset, end - offset), StandardCharsets.UTF_8);
    }
}
