package dev.netns.internal;

import dev.netns.NetnsException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a new platform thread that ends with it, so whatever the task does to its
 * thread's namespaces (setns) dies with that thread and never touches the caller's. The thread is
 * started at home ({@link HomeThreads}), and the call returns only once its OS thread is gone from
 * {@code /proc/self/task}: nothing it entered still has a thread of this JVM in it. Namespaces are
 * not created this way (the long-lived {@link NamespaceCreator} does that); this is for one-off
 * visits, such as listing another namespace's interfaces without an executor.
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
        AtomicInteger tid = new AtomicInteger();
        Thread thread = HomeThreads.start(threadName, () -> {
            tid.set(Syscalls.gettid());
            try {
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        HomeThreads.joinUninterruptibly(thread);
        HomeThreads.awaitGone(tid.get());
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
