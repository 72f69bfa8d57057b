package dev.netns.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import dev.netns.NamespaceUnavailableException;
import dev.netns.internal.HomeThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolver's line to one Docker engine, shaped like Testcontainers' {@code DockerClientFactory}:
 * the client is created on first use, and a failure to reach the engine is remembered for a while,
 * so that a dead daemon fails fast instead of being asked again on every lookup.
 *
 * <p>One client carries the requests and the container event stream. Each request is bounded here
 * (the caller waits at most the request bound), not by the client, whose response timeout would
 * also end a quiet event stream. A request the engine never answers keeps its connection thread
 * until the engine answers or the connection breaks; meanwhile later requests wait in line and
 * their callers still give up at the bound, and the failure memory spares the engine.
 *
 * <p>Requests run on the connection's own daemon threads, which live in this JVM's own network
 * namespace: a caller that has moved into another namespace (a pinned worker, say) would otherwise
 * open a TCP connection to the engine from inside it, and docker-java's event-stream thread, born
 * of the calling thread, would be stranded there.
 */
final class DockerConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DockerConnection.class);

    /** What went wrong, when. */
    private record Failure(long atNanos, String message, @Nullable Throwable cause) {
    }

    private final String description;
    private final Supplier<DockerClient> clients;
    private final boolean ownsClient;
    private final Duration requestBound;
    private final Duration failureMemory;
    private final ThreadPoolExecutor executor;

    private final Object lock = new Object();
    private @Nullable DockerClient client;
    private volatile @Nullable Failure lastFailure;
    private volatile boolean closed;

    /**
     * @param description the engine, for messages ({@code unix:///var/run/docker.sock})
     * @param clients makes the client, on first use
     * @param ownsClient whether {@link #close()} closes the client
     * @param requestBound how long a caller waits for one request at most
     * @param failureMemory how long a failure to reach the engine is remembered
     */
    DockerConnection(String description, Supplier<DockerClient> clients, boolean ownsClient, Duration requestBound,
            Duration failureMemory) {
        this.description = description;
        this.clients = clients;
        this.ownsClient = ownsClient;
        this.requestBound = requestBound;
        this.failureMemory = failureMemory;
        AtomicInteger threads = new AtomicInteger();
        // A pool thread is born in the namespaces of the thread that starts it: both are started
        // here by the library's home thread and kept (no core time-out), so a caller's submit
        // never starts one; a thread that dies is replaced by itself, at home too.
        this.executor = HomeThreads.call(() -> {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    task -> {
                        Thread thread = new Thread(task, "netns-docker-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.prestartAllCoreThreads();
            return pool;
        });
    }

    /** The engine, for messages. */
    String description() {
        return description;
    }

    /**
     * Runs one request against the engine on a connection thread and waits for it, at most the
     * request bound. An answer from the engine ({@link DockerException}: 404, 500...) is thrown as
     * is; not reaching it is remembered and thrown as {@link NamespaceUnavailableException}.
     *
     * @param what the request, for messages ({@code inspect container web})
     */
    <T> T call(String what, Function<DockerClient, T> request) {
        checkRecentFailure(what);
        DockerClient client = client();
        Future<T> future;
        try {
            future = executor.submit(() -> request.apply(client));
        } catch (RuntimeException e) {
            throw new NamespaceUnavailableException("Cannot " + what + ": the Docker resolver is closed", e);
        }
        try {
            T result = future.get(requestBound.toMillis(), TimeUnit.MILLISECONDS);
            lastFailure = null;
            return result;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DockerException answer) {
                lastFailure = null; // the engine answered: it is reachable
                throw answer;
            }
            throw unreachable(what, describe(cause), cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw unreachable(what, "no answer within " + requestBound.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new NamespaceUnavailableException("Interrupted while waiting to " + what + " at " + description, e);
        }
    }

    /** Runs a task on a connection thread (in this JVM's own namespace) without waiting for it. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /** Whether a failure to reach the engine is still remembered. */
    boolean recentlyFailed() {
        Failure failure = lastFailure;
        return failure != null && System.nanoTime() - failure.atNanos() < failureMemory.toNanos();
    }

    /** The client for requests and the event stream, created on first use. */
    DockerClient client() {
        synchronized (lock) {
            requireOpen();
            if (client == null) {
                try {
                    client = clients.get();
                    log.info("Docker namespace resolution talks to {}", description);
                } catch (RuntimeException e) {
                    throw unreachable("create a Docker client", describe(e), e);
                }
            }
            return client;
        }
    }

    private void checkRecentFailure(String what) {
        Failure failure = lastFailure;
        if (failure == null) {
            return;
        }
        long agoNanos = System.nanoTime() - failure.atNanos();
        if (agoNanos < failureMemory.toNanos()) {
            throw new NamespaceUnavailableException("Cannot " + what + ": the Docker daemon at " + description
                    + " could not be reached " + TimeUnit.NANOSECONDS.toMillis(agoNanos) + " ms ago (" + failure.message()
                    + "); it is asked again " + failureMemory.toMillis() + " ms after that failure", failure.cause());
        }
    }

    private NamespaceUnavailableException unreachable(String what, String message, @Nullable Throwable cause) {
        lastFailure = new Failure(System.nanoTime(), message, cause);
        log.debug("Docker daemon at {} unreachable: {}", description, message);
        return new NamespaceUnavailableException("Cannot " + what + ": the Docker daemon at " + description
                + " cannot be reached (" + message + ")", cause);
    }

    private static String describe(@Nullable Throwable failure) {
        Throwable root = failure;
        while (root != null && root.getCause() != null && root.getCause() != root
                && (root.getMessage() == null || root instanceof ExecutionException || root.getCause() instanceof IOException)) {
            root = root.getCause();
        }
        if (root == null) {
            return "unknown failure";
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The Docker namespace resolver for " + description + " is closed");
        }
    }

    /** Stops the connection's threads, and closes the client if the connection made it. */
    @Override
    public void close() {
        DockerClient made;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            made = client;
            client = null;
        }
        executor.shutdownNow();
        if (ownsClient) {
            closeQuietly(made);
        }
    }

    private static void closeQuietly(@Nullable DockerClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                log.debug("Closing a Docker client failed: {}", e.toString());
            }
        }
    }
}
