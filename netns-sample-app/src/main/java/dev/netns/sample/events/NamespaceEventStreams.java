package dev.netns.sample.events;

import dev.netns.NamedNamespaceEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open streams of named namespaces added and deleted: each {@link NamedNamespaceEvent} the
 * starter publishes goes to every subscriber as an event {@code namespace} with a JSON body
 * ({@code {"kind": "ADDED", "name": "blue"}}) and an increasing id, in the order the watch reported
 * them. The listener runs on the starter's watch thread: it only queues (see {@link EventSubscriber}),
 * opens nothing and enters no namespace, so an event pins no executor and keeps no handle. At most
 * {@code sample.events.max-subscribers} streams are open at once; on shutdown every stream is
 * completed first (before the web server waits for open requests), and none is accepted after.
 */
public class NamespaceEventStreams implements SmartLifecycle {

    /** How long shutdown waits in all for the streams to complete. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private final int maxSubscribers;
    private final Duration heartbeat;
    private final Duration timeout;
    private final Set<EventSubscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private boolean running;

    public NamespaceEventStreams(int maxSubscribers, Duration heartbeat, Duration timeout) {
        if (maxSubscribers < 0) {
            throw new IllegalArgumentException("sample.events.max-subscribers must be 0 or more, not " + maxSubscribers);
        }
        if (heartbeat.isNegative() || heartbeat.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("sample.events.heartbeat and sample.events.timeout must be positive durations");
        }
        this.maxSubscribers = maxSubscribers;
        this.heartbeat = heartbeat;
        this.timeout = timeout;
    }

    /**
     * A new stream, whose first event ({@code ready}) says that every later change will be in it.
     *
     * @throws StreamsUnavailableException when {@code sample.events.max-subscribers} streams are open, or the application stops
     */
    public SseEmitter subscribe() throws IOException {
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        EventSubscriber subscriber = new EventSubscriber(emitter, heartbeat, subscribers::remove);
        synchronized (this) {
            if (!running) {
                throw new StreamsUnavailableException("The application is stopping: no new event stream");
            }
            if (subscribers.size() >= maxSubscribers) {
                throw new StreamsUnavailableException("Already " + subscribers.size() + " event streams open, the most"
                        + " sample.events.max-subscribers allows; poll GET /api/namespaces meanwhile");
            }
            subscribers.add(subscriber);
        }
        emitter.onTimeout(() -> {
            subscriber.close();
            emitter.complete();
        });
        emitter.onError(error -> subscriber.close());
        emitter.onCompletion(subscriber::close);
        try {
            subscriber.start();
        } catch (IOException | RuntimeException e) {
            subscribers.remove(subscriber);
            throw e;
        }
        return emitter;
    }

    /** The number of open streams. */
    public int subscribers() {
        return subscribers.size();
    }

    /** Queues the event for every stream; never waits for a client. */
    @EventListener
    public void on(NamedNamespaceEvent event) {
        EventSubscriber.Numbered numbered = new EventSubscriber.Numbered(sequence.incrementAndGet(), event);
        for (EventSubscriber subscriber : subscribers) {
            subscriber.offer(numbered);
        }
    }

    @Override
    public synchronized void start() {
        running = true;
    }

    /** Completes every stream, so that the web server's graceful shutdown has no open request to wait for. */
    @Override
    public void stop() {
        List<EventSubscriber> open;
        synchronized (this) {
            running = false;
            open = new ArrayList<>(subscribers);
        }
        open.forEach(EventSubscriber::close);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            for (EventSubscriber subscriber : open) {
                subscriber.awaitEnd(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }
}
