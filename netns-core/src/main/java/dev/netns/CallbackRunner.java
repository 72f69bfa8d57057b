package dev.netns;

import dev.netns.internal.HomeThreads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs a callback on the pinned executor of its namespace and hands back its outcome; the
 * caller's thread never moves. A caller that is itself a pinned worker (a callback calling the
 * template) runs the callback on its own thread instead of waiting for another, which could
 * deadlock under the thread cap: in place when it serves that namespace already, else after
 * switching into it, and back ({@link PinnedWorker#runIn}). An executor that retired between
 * lookup and submit is looked up again.
 */
final class CallbackRunner {

    private static final int RETIRED_RETRIES = 8;

    private CallbackRunner() {
    }

    /**
     * A time limit in nanoseconds.
     *
     * @throws IllegalArgumentException unless it is positive
     */
    static long limitNanos(Duration timeLimit) {
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("A time limit must be positive, got " + timeLimit);
        }
        return timeLimit.toNanos();
    }

    /**
     * Runs the callback and returns its result, failures as {@link CallbackFailures} says.
     *
     * @param executor looks up the executor; asked again when the one it gave retired meanwhile
     * @param limitNanos the time limit, or 0 for none
     */
    static <T> T call(Supplier<PinnedExecutor> executor, NamespaceCallback<T> callback, long limitNanos) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call(executor.get(), callback, limitNanos);
            } catch (RetiredExecutorException e) {
                if (attempt >= RETIRED_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private static <T> T call(PinnedExecutor executor, NamespaceCallback<T> callback, long limitNanos) {
        PinnedWorker worker = PinnedWorker.current();
        if (worker != null && worker.serving() != null) {
            @SuppressWarnings("unchecked")
            T[] result = (T[]) new Object[1];
            Runnable body = () -> result[0] = CallbackFailures.callHere(executor, callback);
            if (limitNanos > 0) {
                runHereWithin(executor, body, limitNanos);
            } else {
                PinnedWorker.runIn(executor, body);
            }
            return result[0];
        }
        PinnedTask<T> task = executor.task(() -> callback.doInNamespace(executor.handle()), null);
        executor.execute(task);
        return await(task, executor, limitNanos);
    }

    /** Runs a callback on the calling pinned worker, interrupting it at the limit. */
    private static void runHereWithin(PinnedExecutor executor, Runnable body, long limitNanos) {
        Thread self = Thread.currentThread();
        AtomicInteger state = new AtomicInteger(); // 0 running, 1 returned, 2 interrupting, 3 interrupted
        ScheduledFuture<?> limit = HomeThreads.schedule(limitNanos, () -> {
            if (state.compareAndSet(0, 2)) {
                self.interrupt();
                state.set(3);
            }
        });
        Throwable failure = null;
        try {
            PinnedWorker.runIn(executor, body);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        if (state.compareAndSet(0, 1)) {
            limit.cancel(false); // returned in time: the timer need not hold this thread until the limit
        } else {
            while (state.get() != 3) {
                Thread.onSpinWait();
            }
            Thread.interrupted(); // the limit's interrupt, not the caller's
            throw CallbackFailures.timedOut(executor, limitNanos, "it ran inline on a pinned worker, which was interrupted",
                    failure);
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    private static <T> T await(PinnedTask<T> task, PinnedExecutor executor, long limitNanos) {
        try {
            return limitNanos > 0 ? task.get(limitNanos, TimeUnit.NANOSECONDS) : task.get();
        } catch (InterruptedException e) {
            task.cancel(true);
            throw CallbackFailures.interrupted(executor, e);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw CallbackFailures.timedOut(executor, limitNanos, "it was cancelled and its thread interrupted", e);
        } catch (ExecutionException e) {
            throw CallbackFailures.rethrow(e.getCause(), executor);
        }
    }

    /**
     * Queues the callback and returns a future of its outcome, completed at home
     * ({@link HomeFuture}), failures as {@link CallbackFailures} says.
     *
     * @param executor looks up the executor; asked again when the one it gave retired meanwhile
     * @param whenDone told the outcome on the thread completing the future, or {@code null}
     */
    static <T> CompletableFuture<T> submit(Supplier<PinnedExecutor> executor, NamespaceCallback<T> callback,
            @Nullable BiConsumer<? super T, ? super Throwable> whenDone) {
        for (int attempt = 0; ; attempt++) {
            PinnedExecutor pinned = executor.get();
            HomeFuture<T> future = new HomeFuture<>();
            if (whenDone != null) {
                future.whenComplete(whenDone);
            }
            PinnedTask<T>[] task = newTaskArray();
            task[0] = pinned.task(() -> callback.doInNamespace(pinned.handle()),
                    () -> HomeFuture.completeAtHome(future, task[0]));
            future.attach(task[0]);
            try {
                pinned.execute(task[0]);
                return future;
            } catch (RetiredExecutorException e) {
                if (attempt >= RETIRED_RETRIES) {
                    throw e;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> PinnedTask<T>[] newTaskArray() {
        return (PinnedTask<T>[]) new PinnedTask<?>[1];
    }
}
