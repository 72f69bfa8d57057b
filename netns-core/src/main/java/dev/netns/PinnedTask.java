package dev.netns;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A task of a {@link PinnedExecutor}. It runs once, on whichever thread claims it first: the
 * executor's worker, or a pinned worker that waits for it ({@link #get()}), which runs it inline
 * instead of waiting for a thread that may never come (its own namespace at the cap, say).
 * Cancelling it with {@code cancel(true)} interrupts the thread running it.
 */
final class PinnedTask<T> extends FutureTask<T> {

    private final PinnedExecutor executor;
    private final @Nullable Runnable onDone;
    private final AtomicBoolean claimed = new AtomicBoolean();
    /** Counted in its executor's {@code inCallback} by the worker running it; touched by that thread only. */
    private boolean countedAsRunning;

    /**
     * @param onDone runs once the outcome is set (on the thread that set it): hands it to a home
     *     thread for a caller's future
     */
    PinnedTask(PinnedExecutor executor, Callable<T> callable, @Nullable Runnable onDone) {
        super(callable);
        this.executor = executor;
        this.onDone = onDone;
    }

    PinnedTask(PinnedExecutor executor, Runnable runnable, T result) {
        super(runnable, result);
        this.executor = executor;
        this.onDone = null;
    }

    PinnedExecutor executor() {
        return executor;
    }

    @Override
    public void run() {
        if (claimed.compareAndSet(false, true)) {
            super.run();
        }
    }

    /** Called by the worker that took it from the queue. */
    void countAsRunning() {
        countedAsRunning = true;
    }

    /** No longer inside the callback: called just before the outcome is published, and after the run. */
    void uncount() {
        if (countedAsRunning) {
            countedAsRunning = false;
            executor.inCallback.decrementAndGet();
        }
    }

    @Override
    protected void set(T value) {
        uncount(); // the caller, woken by the outcome, may queue its next task before this worker is back
        super.set(value);
    }

    @Override
    protected void setException(Throwable cause) {
        uncount();
        super.setException(cause);
    }

    /** Fails a task that never ran (close, or its worker could not enter the namespace). */
    void fail(Throwable cause) {
        setException(cause);
    }

    @Override
    protected void done() {
        if (onDone != null) {
            onDone.run();
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        runInlineIfPinned();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        runInlineIfPinned();
        return super.get(timeout, unit);
    }

    /**
     * On a pinned worker, runs the task here if no thread has started it: waiting could deadlock
     * (this worker may be the only thread its namespace will get). In another namespace the
     * worker goes there and back, as {@link NamespaceTemplate#execute(NsHandle, NamespaceCallback)} does.
     */
    void runInlineIfPinned() {
        PinnedWorker worker = PinnedWorker.current();
        if (worker == null || isDone() || !claimed.compareAndSet(false, true)) {
            return;
        }
        // Claimed while still queued: its executor cannot retire (nor close its handle) meanwhile.
        PinnedWorker.runIn(executor, super::run);
    }
}
