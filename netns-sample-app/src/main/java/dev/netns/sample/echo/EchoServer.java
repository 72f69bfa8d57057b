package dev.netns.sample.echo;

import dev.netns.NamespaceId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP echo server: it sends back every byte it receives. Its listening socket was opened
 * inside a namespace and stays there, so its threads are ordinary threads of the host namespace:
 * the accept loop and the connection handlers never change namespace, they only use sockets that
 * belong to one.
 */
final class EchoServer {

    private static final Logger log = LoggerFactory.getLogger(EchoServer.class);
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final ServerSocket server;
    private final String reference;
    private final NamespaceId namespace;
    private final Duration idleTimeout;
    private final Instant startedAt = Instant.now();
    private final ThreadPoolExecutor handlers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong served = new AtomicLong();
    private final Thread acceptor;

    /** Serves {@code server}, a socket bound inside {@code namespace}; call from a thread of the host namespace. */
    EchoServer(ServerSocket server, String reference, NamespaceId namespace, int maxConnections, Duration idleTimeout) {
        this.server = server;
        this.reference = reference;
        this.namespace = namespace;
        this.idleTimeout = idleTimeout;
        int serial = SERIAL.incrementAndGet();
        AtomicInteger handlerSerial = new AtomicInteger();
        // Handler threads are started by the acceptor, a host-namespace thread: they are born there too.
        this.handlers = new ThreadPoolExecutor(0, maxConnections, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "echo-" + serial + "-conn-" + handlerSerial.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::acceptLoop, "echo-" + serial + "-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("echo server {} stopped accepting: {}", reference, e.toString());
                }
                return;
            }
            try {
                handlers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                closeQuietly(socket); // every handler is busy: refuse rather than queue without bound
            }
        }
    }

    private void serve(Socket socket) {
        open.add(socket);
        served.incrementAndGet();
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException e) {
            // closed by the peer, or by stop()
        } catch (IOException e) {
            log.debug("echo connection on {} ended: {}", reference, e.toString());
        } finally {
            open.remove(socket);
        }
    }

    NamespaceId namespace() {
        return namespace;
    }

    EchoInfo info() {
        InetSocketAddress local = (InetSocketAddress) server.getLocalSocketAddress();
        return new EchoInfo(reference, namespace.toString(), local.getAddress().getHostAddress(), local.getPort(), open.size(),
                served.get(), startedAt);
    }

    /** Closes the listening socket and every connection, and ends the threads. */
    void stop() {
        closeQuietly(server);
        open.forEach(EchoServer::closeQuietly);
        handlers.shutdownNow();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
