package dev.netns;

import java.time.Duration;
import java.util.Objects;

/**
 * Sizing of {@link NamespaceExecutors}. Immutable: the {@code with...} methods return copies.
 *
 * @param threadsPerNamespace the most platform threads pinned to one namespace
 * @param maxThreads the most pinned threads across all namespaces; tasks wait for a thread beyond it
 * @param keepAlive how long an idle thread lives; an executor whose last thread has gone retires and closes its handle
 * @param queueCapacity the most tasks waiting per namespace; more are rejected
 */
public record ExecutorSettings(int threadsPerNamespace, int maxThreads, Duration keepAlive, int queueCapacity) {

    /** Checks every value is positive. */
    public ExecutorSettings {
        Objects.requireNonNull(keepAlive, "keepAlive");
        requirePositive(threadsPerNamespace, "threadsPerNamespace");
        requirePositive(maxThreads, "maxThreads");
        requirePositive(queueCapacity, "queueCapacity");
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive must be positive, got " + keepAlive);
        }
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** 2 threads per namespace, 64 in all, 60 s keep-alive, 10,000 queued tasks per namespace. */
    public static ExecutorSettings defaults() {
        return new ExecutorSettings(2, 64, Duration.ofSeconds(60), 10_000);
    }

    public ExecutorSettings withThreadsPerNamespace(int threadsPerNamespace) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity);
    }

    public ExecutorSettings withMaxThreads(int maxThreads) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity);
    }

    public ExecutorSettings withKeepAlive(Duration keepAlive) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity);
    }

    public ExecutorSettings withQueueCapacity(int queueCapacity) {
        return new ExecutorSettings(threadsPerNamespace, maxThreads, keepAlive, queueCapacity);
    }
}
