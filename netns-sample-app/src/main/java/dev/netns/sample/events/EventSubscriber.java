package dev.netns.sample.events;

import dev.netns.NamedNamespaceEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open stream: a bounded queue that the watch thread only offers to (it never waits for a
 * client), and a thread of its own (at most {@code sample.events.max-subscribers} of them) that writes what is queued to the client, with a comment line
 * when idle so that a client that went away is noticed. A client too slow to keep up is dropped
 * (its stream completes; EventSource reconnects and the page reloads the list) rather than
 * buffered without end.
 */
final class EventSubscriber implements Runnable {

    /** Queued items per subscriber: far more than a burst of names, far less than unbounded. */
    static final int QUEUE_CAPACITY = 1024;

    /** How long EventSource waits before it reconnects after the stream ends. */
    static final long RECONNECT_MILLIS = 2000;

    private static final Object CLOSE = new Object();

    /** One event with its place in the order of events. */
    record Numbered(long id, NamedNamespaceEvent event) {
    }

    private final SseEmitter emitter;
    private final Duration heartbeat;
    private final Consumer<EventSubscriber> onEnd;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 1);
    private volatile boolean closed;
    private volatile @Nullable Thread sender;

    EventSubscriber(SseEmitter emitter, Duration heartbeat, Consumer<EventSubscriber> onEnd) {
        this.emitter = emitter;
        this.heartbeat = heartbeat;
        this.onEnd = onEnd;
    }

    /** Starts writing to the client, after the event that tells it the stream is ready. */
    void start() throws IOException {
        emitter.send(SseEmitter.event().name("ready").reconnectTime(RECONNECT_MILLIS).data("subscribed"));
        Thread thread = new Thread(this, "namespace-events-sender"); // started from a request thread: at home
        thread.setDaemon(true);
        sender = thread;
        thread.start();
    }

    /** Queues an event without waiting; a subscriber whose queue is full is closed instead. */
    void offer(Numbered event) {
        if (closed) {
            return;
        }
        if (queue.size() >= QUEUE_CAPACITY || !queue.offer(event)) {
            close(); // too slow: it reconnects and reloads, rather than this holding events without end
        }
    }

    /** Ends the stream: what is queued is dropped, the client's stream completes, the sender ends. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(CLOSE);
    }

    boolean closed() {
        return closed;
    }

    /** Waits up to {@code timeout} for the sender to end; interrupts it if it has not (a write stuck on a client). */
    void awaitEnd(Duration timeout) throws InterruptedException {
        Thread thread = sender;
        if (thread != null) {
            thread.join(Math.max(1, timeout.toMillis()));
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                Object item = queue.poll(heartbeat.toNanos(), TimeUnit.NANOSECONDS);
                if (item == CLOSE) {
                    emitter.complete();
                    return;
                }
                if (item instanceof Numbered numbered) {
                    emitter.send(SseEmitter.event().name("namespace").id(Long.toString(numbered.id()))
                            .data(numbered.event(), MediaType.APPLICATION_JSON));
                } else {
                    emitter.send(SseEmitter.event().comment("keep-alive"));
                }
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the stream timed out and completed: nothing more to write
        } catch (InterruptedException e) {
            emitter.complete();
        } finally {
            closed = true;
            queue.clear();
            onEnd.accept(this);
        }
    }
}
