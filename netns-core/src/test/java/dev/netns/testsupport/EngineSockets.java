package dev.netns.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for a Docker engine's socket, on loopback or a unix socket of the test's own, each
 * closed with all its connections by {@link #close()}: {@link #tcpTo(String)} forwards a loopback
 * TCP port to an engine's unix socket (docker-java applies a response timeout over TCP only), and
 * {@link #silent()} and {@link #silentTcp()} accept connections and never answer (an engine that
 * hangs). {@link #tcpTo(String, int)} holds its first connections that way and forwards the rest
 * (a path to the engine that dropped some connections on the floor, then works again).
 */
public final class EngineSockets implements AutoCloseable {

    private final ServerSocketChannel server;
    private final String host;
    private final Path socketFile;
    private final List<SocketChannel> connections = new ArrayList<>();
    private final Thread acceptor;
    private final int heldFirst;
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private EngineSockets(ServerSocketChannel server, String host, Path socketFile, Path forwardTo, int heldFirst) {
        this.server = server;
        this.host = host;
        this.socketFile = socketFile;
        this.heldFirst = heldFirst;
        this.acceptor = new Thread(() -> accept(forwardTo), "nt-engine-socket");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A loopback TCP port that forwards each connection to the engine at {@code unixHost} ({@code unix:///path}). */
    public static EngineSockets tcpTo(String unixHost) throws IOException {
        return tcpTo(unixHost, 0);
    }

    /**
     * A loopback TCP port whose first {@code heldFirst} connections are accepted and never
     * answered (nothing read, nothing sent, no reset), and whose later ones are forwarded to the
     * engine at {@code unixHost} ({@code unix:///path}).
     */
    public static EngineSockets tcpTo(String unixHost, int heldFirst) throws IOException {
        if (!unixHost.startsWith("unix://")) {
            throw new IllegalArgumentException("not a unix socket: " + unixHost);
        }
        return loopback(Path.of(unixHost.substring("unix://".length())), heldFirst);
    }

    /** A loopback TCP port that accepts connections and never answers. */
    public static EngineSockets silentTcp() throws IOException {
        return loopback(null, Integer.MAX_VALUE);
    }

    /** A unix socket that accepts connections and never answers. */
    public static EngineSockets silent() throws IOException {
        Path file = Path.of("/tmp", DockerContainers.newName() + "-silent.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(file));
        return new EngineSockets(server, "unix://" + file, file, null, Integer.MAX_VALUE);
    }

    private static EngineSockets loopback(Path forwardTo, int heldFirst) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        return new EngineSockets(server, "tcp://127.0.0.1:" + port, null, forwardTo, heldFirst);
    }

    /** How many connections were accepted so far, held or forwarded. */
    public int accepted() {
        return accepted.get();
    }

    /** The address to give docker-java ({@code tcp://127.0.0.1:PORT}, {@code unix:///tmp/...}). */
    public String host() {
        return host;
    }

    private void accept(Path forwardTo) {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                synchronized (connections) {
                    connections.add(client);
                }
                int number = accepted.incrementAndGet();
                if (forwardTo != null && number > heldFirst) {
                    SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(forwardTo));
                    synchronized (connections) {
                        connections.add(engine);
                    }
                    pipe(client, engine);
                    pipe(engine, client);
                }
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("engine socket " + host + ": " + e);
                }
            }
        }
    }

    private static void pipe(SocketChannel from, SocketChannel to) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // one side closed: the other follows when the test closes everything
            }
        }, "nt-engine-socket-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Closes the listening socket and every connection (ending the pipes), and removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            synchronized (connections) {
                for (SocketChannel connection : connections) {
                    connection.close();
                }
                connections.clear();
            }
            acceptor.join(5_000);
            if (socketFile != null) {
                Files.deleteIfExists(socketFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
