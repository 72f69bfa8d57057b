package dev.netns.sample.probe;

import dev.netns.NamespaceTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Connects from inside a namespace to {@code host:port}, optionally sends a message and reads the
 * reply. The socket is created in a callback on the namespace's pinned worker, so the connection
 * leaves from that namespace; a refused or timed-out connection is a result, not an error.
 */
public class TcpProbe {

    /** Longest message a probe sends. */
    public static final int MAX_MESSAGE_BYTES = 1024;

    private final NamespaceTemplate template;
    private final ProbeTargets targets;
    private final Duration timeout;

    public TcpProbe(NamespaceTemplate template, ProbeTargets targets, Duration timeout) {
        this.template = template;
        this.targets = targets;
        this.timeout = timeout;
    }

    /**
     * Probes {@code target:port} from inside the namespace a reference points to.
     *
     * @throws ProbeNotAllowedException when the target is not an allowed one
     * @throws dev.netns.NamespaceNotFoundException when the reference points to nothing
     */
    public ProbeResult probe(String reference, InetAddress target, int port, @Nullable String message) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1 to 65535)");
        }
        if (message != null && message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message is longer than " + MAX_MESSAGE_BYTES + " bytes");
        }
        targets.check(reference, target);
        String canonical = template.referenceOf(reference).toString();
        return template.execute(reference, ns -> connect(canonical, target, port, message));
    }

    private ProbeResult connect(String reference, InetAddress target, int port, @Nullable String message) {
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(target, port), timeoutMillis);
            } catch (IOException e) {
                return new ProbeResult(reference, target.getHostAddress(), port, false, millisSince(start), message, null,
                        describe(e));
            }
            double connectMillis = millisSince(start);
            if (message == null) {
                return new ProbeResult(reference, target.getHostAddress(), port, true, connectMillis, null, null, null);
            }
            try {
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                socket.setSoTimeout(timeoutMillis);
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
                String received = read(socket.getInputStream(), bytes.length);
                return new ProbeResult(reference, target.getHostAddress(), port, true, connectMillis, message, received,
                        null);
            } catch (IOException e) {
                return new ProbeResult(reference, target.getHostAddress(), port, true, connectMillis, message, null,
                        describe(e));
            }
        } catch (IOException e) {
            return new ProbeResult(reference, target.getHostAddress(), port, false, millisSince(start), message, null,
                    describe(e));
        }
    }

    /** Reads until {@code expected} bytes came, the peer closed, or the timeout passed with something read. */
    private static String read(InputStream in, int expected) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[Math.max(1, expected)];
        try {
            while (received.size() < expected) {
                int n = in.read(buffer, 0, Math.min(buffer.length, expected - received.size()));
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            if (received.size() == 0) {
                throw e;
            }
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    private static String describe(IOException e) {
        String text = e.getMessage() != null ? e.getMessage() : "";
        return e.getClass().getSimpleName() + (text.isEmpty() ? "" : ": " + text);
    }

    private static double millisSince(long start) {
        return Math.round((System.nanoTime() - start) / 10_000.0) / 100.0;
    }
}
