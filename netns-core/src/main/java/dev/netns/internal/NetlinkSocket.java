package dev.netns.internal;

import dev.netns.NetnsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code NETLINK_ROUTE} socket for dump requests. It belongs to the network namespace of the
 * thread that opened it, for good: what it dumps is that namespace's, whichever thread asks.
 * Messages are read and written in native byte order, as netlink defines them. Not thread-safe.
 */
final class NetlinkSocket implements AutoCloseable {

    static final int NLMSG_HDRLEN = 16;

    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_DUMP = 0x300;

    static final int RTA_HDRLEN = 4;
    private static final int NLA_TYPE_MASK = ~(0x8000 | 0x4000) & 0xffff; // without NLA_F_NESTED, NLA_F_NET_BYTEORDER

    private static final int NETLINK_ROUTE = 0;
    private static final int SOCKADDR_NL_SIZE = 12;

    /**
     * The kernel sizes dump datagrams to the reader's buffer, at most 32 KiB: twice that always
     * fits, and {@code recv} reports anything bigger instead of silently truncating it.
     */
    private static final int BUFFER_SIZE = 64 * 1024;

    /** What a dump request yields, one message at a time. */
    @FunctionalInterface
    interface MessageHandler {

        /**
         * One reply message.
         *
         * @param type its {@code nlmsg_type}
         * @param payload what follows its header, from position 0 to its limit, in native order
         */
        void message(int type, ByteBuffer payload);
    }

    private final int fd;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.nativeOrder());
    private int sequence;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** Opens and binds a {@code NETLINK_ROUTE} socket (close-on-exec) in the calling thread's network namespace. */
    static NetlinkSocket openRoute() {
        int fd = Syscalls.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_RAW, NETLINK_ROUTE,
                "AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE");
        try {
            // struct sockaddr_nl: nl_family, padding, nl_pid 0 (the kernel picks a port id), nl_groups 0
            byte[] address = new byte[SOCKADDR_NL_SIZE];
            ByteBuffer.wrap(address).order(ByteOrder.nativeOrder()).putShort(0, (short) Syscalls.AF_NETLINK);
            Syscalls.bind(fd, address, "AF_NETLINK");
            return new NetlinkSocket(fd);
        } catch (RuntimeException | Error e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    /** The socket's fd. */
    int fd() {
        return fd;
    }

    /**
     * Sends a dump request ({@code NLM_F_REQUEST|NLM_F_DUMP}) and hands every reply message to the
     * handler, until {@code NLMSG_DONE}.
     *
     * @param type the request's {@code nlmsg_type} ({@code RTM_GETLINK})
     * @param typeName its name, for error messages
     * @param body what follows the header: the family header and attributes, 4-byte aligned
     * @return {@code false} when the kernel flagged the dump as interrupted ({@code NLM_F_DUMP_INTR}):
     *         what was dumped changed meanwhile and the replies may be inconsistent
     * @throws NetnsException naming the request and errno when the kernel answers with an error
     */
    boolean dump(int type, String typeName, byte[] body, MessageHandler handler) {
        int seq = send(type, NLM_F_REQUEST | NLM_F_DUMP, typeName, body);
        boolean[] consistent = {true};
        receive(seq, typeName, (messageType, flags, status, payload) -> {
            if ((flags & NLM_F_DUMP_INTR) != 0) {
                consistent[0] = false;
            }
            switch (messageType) {
                case NLMSG_DONE:
                    if (status < 0) { // a dump that failed part-way puts its negative errno after the header
                        throw failure(typeName, -status);
                    }
                    return true;
                case NLMSG_ERROR:
                    if (status != 0) {
                        throw failure(typeName, -status);
                    }
                    return false; // an acknowledgement
                case NLMSG_NOOP:
                case NLMSG_OVERRUN:
                    return false;
                default:
                    handler.message(messageType, payload);
                    return false;
            }
        });
        return consistent[0];
    }

    /** One message of the answer to our request; true when the answer is complete. */
    @FunctionalInterface
    private interface Reply {

        /**
         * @param status the first 4 bytes after the header (the negative errno of NLMSG_ERROR and NLMSG_DONE), or 0
         * @param payload what follows the header, in native order
         */
        boolean message(int type, int flags, int status, ByteBuffer payload);
    }

    /** Reads datagrams until {@code reply} says the answer to request {@code seq} is complete; stale replies are skipped. */
    private void receive(int seq, String typeName, Reply reply) {
        while (true) {
            int length = Syscalls.recv(fd, buffer, typeName + " reply");
            if (length > buffer.capacity()) {
                throw new NetnsException("A netlink reply to " + typeName + " of " + length
                        + " bytes does not fit the " + buffer.capacity() + "-byte buffer");
            }
            for (int offset = 0; offset + NLMSG_HDRLEN <= length; ) {
                int messageLength = buffer.getInt(offset);
                if (messageLength < NLMSG_HDRLEN || messageLength > length - offset) {
                    throw new NetnsException("Malformed netlink reply to " + typeName + ": a message of "
                            + messageLength + " bytes at offset " + offset + " of " + length);
                }
                if (buffer.getInt(offset + 8) == seq) { // anything else is a stale reply to an earlier request
                    int status = messageLength >= NLMSG_HDRLEN + 4 ? buffer.getInt(offset + NLMSG_HDRLEN) : 0;
                    ByteBuffer payload = buffer.slice(offset + NLMSG_HDRLEN, messageLength - NLMSG_HDRLEN)
                            .order(ByteOrder.nativeOrder()); // a slice starts big-endian
                    if (reply.message(buffer.getShort(offset + 4) & 0xffff, buffer.getShort(offset + 6) & 0xffff, status,
                            payload)) {
                        return;
                    }
                }
                offset += align(messageLength);
            }
        }
    }

    private static NetnsException failure(String typeName, int errno) {
        return Errno.failure(typeName, "NLM_F_REQUEST|NLM_F_DUMP", errno, null);
    }

    /** Sends one request message and returns its sequence number. */
    private int send(int type, int flags, String typeName, byte[] body) {
        int seq = ++sequence;
        byte[] request = new byte[NLMSG_HDRLEN + body.length];
        ByteBuffer header = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
        header.putInt(0, request.length);
        header.putShort(4, (short) type);
        header.putShort(6, (short) flags);
        header.putInt(8, seq);
        header.putInt(12, 0); // nlmsg_pid: to the kernel
        System.arraycopy(body, 0, request, NLMSG_HDRLEN, body.length);
        Syscalls.send(fd, request, typeName);
        return seq;
    }

    /**
     * Sends one request that is not a dump and waits for its answer: with {@code ack}
     * ({@code NLM_F_ACK}) the kernel's acknowledgement, else its one reply message, which goes to
     * the handler.
     *
     * @param argument the request's arguments as an error message should name them ({@code nsid=43, fd=12})
     * @throws NetnsException naming the request, its arguments and errno when the kernel answers with an error
     */
    void request(int type, String typeName, String argument, boolean ack, byte[] body, MessageHandler handler) {
        int seq = send(type, NLM_F_REQUEST | (ack ? NLM_F_ACK : 0), typeName, body);
        receive(seq, typeName, (messageType, flags, status, payload) -> {
            if (messageType == NLMSG_ERROR) {
                if (status != 0) {
                    throw Errno.failure(typeName, argument, -status, null);
                }
                return true; // the acknowledgement
            }
            if (messageType == NLMSG_NOOP) {
                return false;
            }
            handler.message(messageType, payload);
            return !ack;
        });
    }

    /** What {@link #forEachAttribute} finds: an attribute's type and where its value is in the message. */
    @FunctionalInterface
    interface AttributeVisitor {
        void attribute(int type, int offset, int length);
    }

    /** Walks the {@code rtattr}s from {@code start} to the message's end; a malformed one ends the walk, as in iproute2. */
    static void forEachAttribute(ByteBuffer message, int start, AttributeVisitor visitor) {
        int offset = align(start);
        int end = message.limit();
        while (offset + RTA_HDRLEN <= end) {
            int length = message.getShort(offset) & 0xffff;
            if (length < RTA_HDRLEN || length > end - offset) {
                return;
            }
            int type = message.getShort(offset + 2) & NLA_TYPE_MASK;
            visitor.attribute(type, offset + RTA_HDRLEN, length - RTA_HDRLEN);
            offset += align(length);
        }
    }

    /** {@code NLMSG_ALIGN} and {@code RTA_ALIGN}: netlink messages and attributes are 4-byte aligned. */
    static int align(int length) {
        return (length + 3) & ~3;
    }

    @Override
    public void close() {
        Syscalls.close(fd);
    }
}
