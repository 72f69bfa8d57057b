package dev.netns;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** A task of a {@link PinnedExecutor}; can be failed from outside when its worker cannot enter the namespace. */
final class PinnedTask<T> extends FutureTask<T> {

    /** The running worker's idle count while {@link #runCountingIdle} runs; only that worker thread touches it. */
    private @Nullable AtomicInteger idleOnPublish;

    PinnedTask(Callable<T> callable) {
        super(callable);
    }

    PinnedTask(Runnable runnable, T result) {
        super(runnable, result);
    }

    void fail(Throwable cause) {
        setException(cause);
    }

    /**
     * Runs the task on a worker, counting the worker in {@code idle} just before the outcome is
     * published: publishing wakes the caller, who may queue its next task before the worker is
     * back at its queue, and must not take the worker for busy then.
     *
     * @return whether the worker was counted (false when there was no outcome to publish, e.g. cancelled)
     */
    boolean runCountingIdle(AtomicInteger idle) {
        idleOnPublish = idle;
        run();
        boolean counted = idleOnPublish == null;
        idleOnPublish = null;
        return counted;
    }

    @Override
    protected void set(T value) {
        countIdle();
        super.set(value);
    }

    @Override
    protected void setException(Throwable cause) {
        countIdle();
        super.setException(cause);
    }

    private void countIdle() {
        AtomicInteger idle = idleOnPublish;
        if (idle != null) {
            idleOnPublish = null;
            idle.incrementAndGet();
        }
    }
}
