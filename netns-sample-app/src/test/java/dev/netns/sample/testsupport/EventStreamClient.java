package dev.netns.sample.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent-events client on a plain socket, as a browser's EventSource reads a stream:
 * {@code GET} with {@code Accept: text/event-stream}, chunked body decoded, events dispatched at
 * each blank line; each event is stamped with the time it arrived. A reader thread fills the
 * queue; {@link #END} comes when the stream ends.
 */
public final class EventStreamClient implements AutoCloseable {

    /** One event: its type, id, data and when it arrived ({@link System#nanoTime()}). */
    public record Event(String type, String id, String data, long arrivedNanos) {
    }

    /** Put in the queue when the stream ended. */
    public static final Event END = new Event("", "", "", 0);

    private final Socket socket;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final int status;
    private final String head;
    private final boolean chunked;

    /** Opens the stream; {@code headers} are added (a {@code Host} among them replaces the default). */
    public EventStreamClient(int port, String path, Map<String, String> headers) throws IOException {
        this(port, path, headers, 0);
    }

    /**
     * A client that reads nothing until {@link #startReading()}, with a small receive buffer: a
     * client too slow for the stream.
     */
    public static EventStreamClient stalled(int port, String path) throws IOException {
        return new EventStreamClient(port, path, Map.of(), 1024);
    }

    private EventStreamClient(int port, String path, Map<String, String> headers, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Host"))) {
            request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        request.append("Accept: text/event-stream\r\nConnection: close\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        head = readHead(in);
        status = Integer.parseInt(head.substring(9, 12));
        chunked = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
        if (receiveBuffer == 0) {
            startReading();
        }
    }

    /** Starts the reader thread (a stalled client's reading starts here). */
    public void startReading() throws IOException {
        InputStream in = socket.getInputStream();
        Thread reader = new Thread(() -> read(in, chunked), "event-stream-client");
        reader.setDaemon(true);
        reader.start();
    }

    public int status() {
        return status;
    }

    /** The status line and headers. */
    public String head() {
        return head;
    }

    /** The next event, or null when none came within the timeout. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes the connection. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the stream ended in its headers: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void read(InputStream in, boolean chunked) {
        try {
            InputStream body = chunked ? new ChunkedBody(in) : in;
            StringBuilder line = new StringBuilder();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            String type = "message";
            String id = "";
            StringBuilder data = new StringBuilder();
            int b;
            while ((b = body.read()) >= 0) {
                if (b != '\n') {
                    bytes.write(b);
                    continue;
                }
                line.setLength(0);
                line.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
                if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                    line.setLength(line.length() - 1);
                }
                if (line.length() == 0) {
                    if (data.length() > 0) {
                        events.add(new Event(type, id, data.toString(), System.nanoTime()));
                    }
                    type = "message";
                    data.setLength(0);
                } else if (line.charAt(0) != ':') {
                    String text = line.toString();
                    int colon = text.indexOf(':');
                    String field = colon < 0 ? text : text.substring(0, colon);
                    String value = colon < 0 ? "" : text.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "event" -> type = value;
                        case "id" -> id = value;
                        case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            events.add(END);
        }
    }

    /** The body of a chunked response, ending at its last chunk. */
    private static final class ChunkedBody extends InputStream {

        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line();
                left = Long.parseLong(size.split(";")[0].strip(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            if (--left == 0) {
                line(); // the CRLF after the chunk
            }
            return b;
        }

        private String line() throws IOException {
            StringBuilder text = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    text.append((char) b);
                }
            }
            if (b < 0) {
                throw new IOException("the stream ended within a chunk header");
            }
            return text.toString();
        }
    }
}
