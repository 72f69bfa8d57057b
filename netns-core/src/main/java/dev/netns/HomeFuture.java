package dev.netns;

import dev.netns.internal.HomeThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A future handed to a caller: completed on a home thread ({@link HomeThreads#completions()}),
 * never on a pinned worker, so a dependent stage attached before completion runs at home; and
 * {@code *Async} stages without an executor run on home threads too. Cancelling it cancels its
 * task and interrupts the callback if it runs; a pinned worker waiting for it runs its task
 * inline if no thread has started it.
 */
final class HomeFuture<T> extends CompletableFuture<T> {

    private volatile @Nullable PinnedTask<?> task;

    /** Completes a future at home with the outcome of a finished task, checked exceptions wrapped. */
    static <T> void completeAtHome(HomeFuture<T> future, PinnedTask<T> task) {
        HomeThreads.completions().execute(() -> {
            try {
                future.complete(task.get());
            } catch (ExecutionException e) {
                future.completeExceptionally(CallbackFailures.wrapChecked(e.getCause(), task.executor()));
            } catch (Throwable e) { // cancelled, or rejected before it ran
                future.completeExceptionally(e);
            }
        });
    }

    /** A future completed at home with the outcome of a stage that may complete anywhere. */
    static <T> HomeFuture<T> of(CompletionStage<T> stage) {
        HomeFuture<T> future = new HomeFuture<>();
        stage.whenComplete((result, failure) -> HomeThreads.completions().execute(() -> {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(result);
            }
        }));
        return future;
    }

    void attach(PinnedTask<?> attached) {
        this.task = attached;
    }

    @Override
    public Executor defaultExecutor() {
        return HomeThreads.completions();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new HomeFuture<>();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        PinnedTask<?> running = task;
        if (cancelled && running != null) {
            running.cancel(true);
        }
        return cancelled;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        helpIfPinned();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        helpIfPinned();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        helpIfPinned();
        return super.join();
    }

    private void helpIfPinned() {
        PinnedTask<?> pending = task;
        if (pending != null && !isDone()) {
            pending.runInlineIfPinned();
        }
    }
}
