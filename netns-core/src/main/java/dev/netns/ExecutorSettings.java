package dev.netns;

import java.time.Duration;
import java.util.Objects;

/**
 * Sizing of {@link NamespaceExecutors}. Immutable: the {@code with...} methods return copies.
 *
 * @param threadsPerNamespace the most platform threads pinned to one namespace
 * @param maxThreads the most pinned threads across all namespaces (a hard limit): past it, an idle
 *     thread of another namespace is moved over, else tasks wait for one
 * @param keepAlive how long an idle thread lives, and how long an executor without a task lives
 *     (it then retires and closes its handle, whether or not it ever ran a task)
 * @param queueCapacity the most tasks waiting per namespace; more are rejected
 * @param closeTimeout how long {@link NamespaceExecutors#close()} waits, in all, for running
 *     callbacks (they are interrupted half way) before it reports the threads still stuck
 * @param hungAfter how long a callback may run before it counts as hung: shown in
 *     {@link ExecutorInfo#hung()}, and its thread is written off the cap (replaced) while other
 *     namespaces wait for a thread
 */
public record ExecutorSettings(int threadsPerNamespace, int maxThreads, Duration keepAlive, int queueCapacity,
        Duration closeTimeout, Duration hungAfter) {

    /** Checks every value is positive. */
    public ExecutorSettings {
        requirePositive(threadsPerNamespace, "threadsPerNamespace");
        requirePositive(maxThreads, "maxThreads");
        requirePositive(queueCapacity, "queueCapacity");
        requirePositive(keepAlive, "keepAlive");
        requirePositive(closeTimeout, "closeTimeout");
        requirePositive(hungAfter, "hungAfter");
    }

    /** The first four settings, with the default close timeout and hung threshold. */
    public ExecutorSettings(int threadsPerNamespace, int maxThreads, Duration keepAlive, int queueCapacity) {
        this(threadsPerNamespace, maxThreads, keepAlive, queueCapacity, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /**
     * 2 threads per namespace, 64 in all, 60 s keep-alive, 10,000 queued tasks per namespace, 30 s
     * to close, callbacks hung after 30 s.
     */
    public static ExecutorSettings defaults() {
        return new ExecutorSettings(2, 64, Duration.ofSeconds(60), 10_000);
    }

    public ExecutorSettings withThreadsPerNamespace(int threadsPerNamespace) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity, closeTimeout, hungAfter);
    }

    public ExecutorSettings withMaxThreads(int maxThreads) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity, closeTimeout, hungAfter);
    }

    public ExecutorSettings withKeepAlive(Duration keepAlive) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity, closeTimeout, hungAfter);
    }

    public ExecutorSettings withQueueCapacity(int queueCapacity) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity, closeTimeout, hungAfter);
    }

    /** A copy with another {@link #closeTimeout()}. */
    public ExecutorSettings withCloseTimeout(Duration closeTimeout) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity, closeTimeout, hungAfter);
    }

    /** A copy with another {@link #hungAfter()}. */
    public ExecutorSettings withHungAfter(Duration hungAfter) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity, closeTimeout, hungAfter);
    }
}
