package dev.netns;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ExecutionListener}s of a template, told about every callback it ran. A listener that
 * throws never changes the outcome of the call: its first failure is logged at WARN with the
 * exception, every failure is counted ({@link #failures()}), and later ones are not logged, so a
 * broken listener on a busy template cannot flood the log.
 */
final class ExecutionListeners {

    private static final Logger log = LoggerFactory.getLogger(ExecutionListeners.class);

    private final List<Registered> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder failures = new LongAdder();

    /** A listener with whether its failure has been logged. */
    private record Registered(ExecutionListener listener, AtomicBoolean failureLogged) {
    }

    void add(ExecutionListener listener) {
        listeners.add(new Registered(listener, new AtomicBoolean()));
    }

    /** When a call starts, or 0 when there is no listener to tell (then {@link #executed} tells no one). */
    long start() {
        return listeners.isEmpty() ? 0 : System.nanoTime();
    }

    /**
     * Tells every listener about a call that ended now.
     *
     * @param start what {@link #start()} returned when the call began
     */
    void executed(@Nullable String alias, String referenceKind, long start, @Nullable Throwable failure) {
        if (start == 0) {
            return;
        }
        ExecutionEvent event = new ExecutionEvent(alias, referenceKind, System.nanoTime() - start, failure);
        for (Registered registered : listeners) {
            try {
                registered.listener().executed(event);
            } catch (VirtualMachineError e) {
                throw e; // out of memory and the like: nothing sensible is left to do here
            } catch (Throwable e) { // an AssertionError from a test's listener changes the call no more than an exception
                failures.increment();
                if (registered.failureLogged().compareAndSet(false, true)) {
                    log.warn("Execution listener {} threw; the call's outcome is unchanged. Later failures of this"
                            + " listener are counted (NamespaceTemplate.listenerFailures()), not logged", registered.listener(), e);
                }
            }
        }
    }

    /** How often a listener threw, over all listeners. */
    long failures() {
        return failures.sum();
    }
}
