package dev.netns;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/** A task of a {@link PinnedExecutor}; can be failed from outside when its worker cannot enter the namespace. */
final class PinnedTask<T> extends FutureTask<T> {

    PinnedTask(Callable<T> callable) {
        super(callable);
    }

    PinnedTask(Runnable runnable, T result) {
        super(runnable, result);
    }

    void fail(Throwable cause) {
        setException(cause);
    }
}
