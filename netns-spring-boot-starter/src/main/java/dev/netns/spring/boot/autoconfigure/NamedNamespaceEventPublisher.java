package dev.netns.spring.boot.autoconfigure;

import dev.netns.NamedNamespaceEvent;
import dev.netns.NetnsException;
import dev.netns.NetnsRuntime;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes every {@link NamedNamespaceEvent} of a runtime's run dir ({@link NetnsRuntime#watchNamed}) as an
 * application event, from the application's start to its stop: listen with
 * {@code @EventListener void on(NamedNamespaceEvent event)}. Listeners are called on the watch's
 * thread, in this JVM's own network namespace, one event at a time in order. Where namespaces do
 * not exist (not Linux) or the watch cannot be set up, the application starts anyway and this
 * logs why no events will come.
 */
public class NamedNamespaceEventPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NamedNamespaceEventPublisher.class);

    private final ApplicationEventPublisher publisher;
    private final Function<Consumer<NamedNamespaceEvent>, AutoCloseable> watcher;
    private @Nullable AutoCloseable watch;

    /** Publishes the events of the runtime's run dir. */
    public NamedNamespaceEventPublisher(NetnsRuntime runtime, ApplicationEventPublisher publisher) {
        this(publisher, runtime::watchNamed);
    }

    NamedNamespaceEventPublisher(ApplicationEventPublisher publisher,
            Function<Consumer<NamedNamespaceEvent>, AutoCloseable> watcher) {
        this.publisher = publisher;
        this.watcher = watcher;
    }

    @Override
    public synchronized void start() {
        if (watch != null) {
            return;
        }
        try {
            watch = watcher.apply(publisher::publishEvent);
        } catch (UnsupportedOperationException | NetnsException e) {
            log.warn("Named namespaces are not watched, no NamedNamespaceEvent will be published: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        AutoCloseable running = watch;
        watch = null;
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                log.warn("Closing the watch of named namespaces failed", e);
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return watch != null;
    }
}
