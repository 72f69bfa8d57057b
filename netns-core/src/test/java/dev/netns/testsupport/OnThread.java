package dev.netns.testsupport;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs test code that moves its thread on a fresh platform thread, so the test runner's own
 * thread never leaves the host namespace, and hands back the result or the exception.
 */
public final class OnThread {

    private OnThread() {
    }

    public static <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = new Thread(future, "nt-test-thread");
        thread.start();
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } finally {
            thread.join();
        }
    }
}
