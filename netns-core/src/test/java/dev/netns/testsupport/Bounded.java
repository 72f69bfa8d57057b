package dev.netns.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs calls on a thread of its own and waits a bounded time for each, so that a call that hangs
 * fails the test with its input instead of stalling the build. Close it after the test.
 */
public final class Bounded implements AutoCloseable {

    /** What a call did: its result, or what it threw. */
    public record Outcome(@Nullable Object value, @Nullable Throwable thrown) {

        public boolean threw(Class<? extends Throwable> type) {
            return type.isInstance(thrown);
        }
    }

    private final Duration bound;
    private ExecutorService thread = newThread();

    public Bounded(Duration bound) {
        this.bound = bound;
    }

    private static ExecutorService newThread() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread worker = new Thread(task, "nt-bounded");
            worker.setDaemon(true);
            return worker;
        });
    }

    /**
     * The outcome of {@code call}, or an {@link AssertionError} naming the input when it did not
     * come back within the bound.
     *
     * @param input describes the input, for the failure message only
     */
    public Outcome run(Supplier<String> input, Callable<?> call) {
        Future<Object> future = thread.submit(() -> call.call());
        try {
            return new Outcome(future.get(bound.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            thread.shutdownNow();
            thread = newThread(); // the hung one may never come back: later calls get a fresh thread
            throw new AssertionError("no answer within " + bound.toMillis() + " ms (a hang) for input " + input.get(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for input " + input.get(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
