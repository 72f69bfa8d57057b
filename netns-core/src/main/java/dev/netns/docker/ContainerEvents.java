package dev.netns.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's container event stream ({@code create}, {@code start}, {@code die},
 * {@code destroy}, {@code rename}), kept open while the engine can be reached and reopened on a
 * later lookup after it broke. {@link #epoch()} moves each time the stream comes up or goes down:
 * what was cached in one epoch cannot have missed an event while the epoch is still current.
 */
final class ContainerEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContainerEvents.class);
    private static final String[] ACTIONS = {"create", "start", "die", "destroy", "rename"};

    private final DockerConnection connection;
    private final Consumer<Event> sink;
    private final Duration retryAfter;
    private final Duration waitForStart;

    private final AtomicLong epoch = new AtomicLong();
    private final AtomicBoolean starting = new AtomicBoolean();
    private volatile @Nullable Stream current;
    private volatile long lastAttemptNanos;
    private volatile boolean attempted;
    private volatile boolean closed;

    /**
     * @param sink gets every event, on the stream's thread
     * @param retryAfter how long after a failed or broken stream the next lookup may reopen it
     * @param waitForStart how long the lookup that opens the stream waits for it to come up
     */
    ContainerEvents(DockerConnection connection, Consumer<Event> sink, Duration retryAfter, Duration waitForStart) {
        this.connection = connection;
        this.sink = sink;
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
            connection.eventClient().eventsCmd()
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
            log.info("Watching container events of the Docker daemon at {}", connection.description());
        }

        @Override
        public void onNext(Event event) {
            try {
                sink.accept(event);
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
            if (!closed) {
                if (wasUp) {
                    log.info("Lost the container events of the Docker daemon at {} ({}); lookups check container processes"
                            + " until they are back", connection.description(), failure == null ? "stream ended" : failure.toString());
                } else {
                    log.debug("Cannot watch container events of the Docker daemon at {}: {}", connection.description(),
                            String.valueOf(failure));
                }
            }
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
