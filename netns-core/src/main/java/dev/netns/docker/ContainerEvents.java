package dev.netns.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's container event stream ({@code create}, {@code start}, {@code die},
 * {@code destroy}, {@code rename}), kept open while the engine can be reached and reopened on a
 * later lookup after it broke. {@link #epoch()} moves each time the stream comes up or goes down:
 * what was cached in one epoch cannot have missed an event while the epoch is still current.
 *
 * <p>The stream goes through the connection's one client. A client with a response timeout (one
 * the application gave) ends the stream over TCP whenever the engine is quiet for that long; the
 * stream is then reopened on a later lookup, and the first such end says so in the log.
 */
final class ContainerEvents implements AutoCloseable {

    /** Gets each container event, on the stream's thread. */
    @FunctionalInterface
    interface Listener {

        /**
         * @param action the engine's action: {@code create}, {@code start}, {@code die}, {@code destroy} or {@code rename}
         * @param containerId the container's full id
         * @param name the container's name (its new one for {@code rename}), or empty when the event has none
         */
        void onContainerEvent(String action, String containerId, String name);
    }

    private static final Logger log = LoggerFactory.getLogger(ContainerEvents.class);
    private static final String[] ACTIONS = {"create", "start", "die", "destroy", "rename"};

    private final DockerConnection connection;
    private final Listener listener;
    private final Duration retryAfter;
    private final Duration waitForStart;

    private final AtomicLong epoch = new AtomicLong();
    private final AtomicBoolean starting = new AtomicBoolean();
    private volatile @Nullable Stream current;
    private volatile long lastAttemptNanos;
    private volatile boolean attempted;
    private final AtomicBoolean toldOfResponseTimeout = new AtomicBoolean();
    /** Whether the last stream ended only because the engine was quiet for the client's response timeout. */
    private volatile boolean endedQuietly;
    private volatile boolean closed;

    /**
     * @param listener gets every event, on the stream's thread
     * @param retryAfter how long after a failed or broken stream the next lookup may reopen it
     * @param waitForStart how long the lookup that opens the stream waits for it to come up
     */
    ContainerEvents(DockerConnection connection, Listener listener, Duration retryAfter, Duration waitForStart) {
        this.connection = connection;
        this.listener = listener;
        this.retryAfter = retryAfter;
        this.waitForStart = waitForStart;
    }

    /** Moves on each stream start and each stream end. */
    long epoch() {
        return epoch.get();
    }

    /** Whether the stream is up now. */
    boolean live() {
        Stream stream = current;
        return stream != null && stream.up;
    }

    /**
     * Opens the stream if it is down and may be tried again, and waits a little for it to come up,
     * so that the lookup that follows is already covered by it.
     */
    void ensureRunning() {
        if (closed || live() || connection.recentlyFailed()) {
            return;
        }
        if (attempted && System.nanoTime() - lastAttemptNanos < retryAfter.toNanos()) {
            return;
        }
        if (!starting.compareAndSet(false, true)) {
            return;
        }
        attempted = true;
        lastAttemptNanos = System.nanoTime();
        Stream stream = new Stream();
        current = stream;
        try {
            connection.execute(() -> open(stream));
        } catch (RuntimeException e) {
            starting.set(false);
            return;
        }
        try {
            stream.started.await(waitForStart.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void open(Stream stream) {
        try {
            connection.client().eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withEventFilter(ACTIONS)
                    .exec(stream);
        } catch (RuntimeException e) {
            stream.onError(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Stream stream = current;
        if (stream != null) {
            stream.close();
        }
    }

    /** One opening of the stream. */
    private final class Stream implements ResultCallback<Event> {

        final CountDownLatch started = new CountDownLatch(1);
        volatile boolean up;
        private volatile @Nullable Closeable closer;
        private final AtomicBoolean ended = new AtomicBoolean();

        @Override
        public void onStart(Closeable closeable) {
            closer = closeable;
            if (closed) {
                close();
                return;
            }
            epoch.incrementAndGet();
            up = true;
            starting.set(false);
            started.countDown();
            if (endedQuietly) {
                log.debug("Watching container events of the Docker daemon at {} again", connection.description());
            } else {
                log.info("Watching container events of the Docker daemon at {}", connection.description());
            }
        }

        @Override
        public void onNext(Event event) {
            String action = event.getAction() != null ? event.getAction() : event.getStatus();
            String id = event.getActor() != null && event.getActor().getId() != null ? event.getActor().getId() : event.getId();
            if (action == null || id == null) {
                return;
            }
            Map<String, String> attributes = event.getActor() != null ? event.getActor().getAttributes() : null;
            String name = attributes != null ? ContainerLookup.stripSlash(attributes.get("name")) : "";
            try {
                listener.onContainerEvent(action, id, name);
            } catch (RuntimeException e) {
                log.warn("Handling Docker event {} failed", event, e);
            }
        }

        @Override
        public void onError(Throwable failure) {
            end(failure);
        }

        @Override
        public void onComplete() {
            end(null);
        }

        private void end(@Nullable Throwable failure) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            boolean wasUp = up;
            up = false;
            epoch.incrementAndGet();
            starting.set(false);
            started.countDown();
            lastAttemptNanos = System.nanoTime();
            if (closed) {
                return;
            }
            boolean quiet = wasUp && isTimeout(failure);
            endedQuietly = quiet;
            if (quiet && toldOfResponseTimeout.compareAndSet(false, true)) {
                log.info("The container event stream of the Docker daemon at {} ended after a quiet spell ({}): the"
                        + " DockerClient has a response timeout. The stream is reopened on a later lookup and, until then,"
                        + " names are looked up again; a client without a response timeout keeps it open",
                        connection.description(), String.valueOf(failure));
            } else if (quiet) {
                log.debug("The container event stream of the Docker daemon at {} ended after a quiet spell again",
                        connection.description());
            } else if (wasUp) {
                log.info("Lost the container events of the Docker daemon at {} ({}); lookups check container processes"
                        + " until they are back", connection.description(), failure == null ? "stream ended" : failure.toString());
            } else {
                log.debug("Cannot watch container events of the Docker daemon at {}: {}", connection.description(),
                        String.valueOf(failure));
            }
        }

        private static boolean isTimeout(@Nullable Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof SocketTimeoutException) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            Closeable stream = closer;
            end(null);
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException | RuntimeException e) {
                    log.debug("Closing the Docker event stream failed: {}", e.toString());
                }
            }
        }
    }
}
