package dev.netns.internal;

import dev.netns.NetnsException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a new platform thread that ends with it, so whatever the task does to its
 * thread's namespaces (unshare, setns) dies with that thread and never touches the caller's.
 */
public final class Throwaway {

    private Throwaway() {
    }

    /**
     * Runs {@code task} on a fresh platform thread and waits for it, even when interrupted (the
     * interrupt is kept for the caller): the task must finish to leave nothing half done.
     */
    public static <T> T call(String threadName, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        if (e != null) {
            throw new NetnsException(threadName + " failed: " + e, e);
        }
        return result.get();
    }
}
