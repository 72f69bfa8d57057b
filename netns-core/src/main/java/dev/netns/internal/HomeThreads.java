package dev.netns.internal;

import dev.netns.NetnsException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every thread the library owns from a thread at home, in this JVM's own namespaces
 * ({@link ThreadNamespaces#goHome()}): a thread is born in the namespaces of the thread that
 * starts it, so a library thread started from a pinned worker, a creator thread or a caller
 * inside a namespace would live there for good.
 *
 * <p>One long-lived daemon thread, {@code netns-home}, starts them all. It is itself started by
 * whichever thread first needs it, so before it starts anything it moves home in every kind it is
 * away in and checks it arrived; if it cannot, it ends and the call that needed it fails (the
 * next call tries again). {@link #completions()} is a pool of home threads for completing futures
 * handed to callers and running their {@code *Async} stages.
 */
public final class HomeThreads {

    private static final Logger log = LoggerFactory.getLogger(HomeThreads.class);
    private static final Object LOCK = new Object();
    private static final long GONE_TIMEOUT_NANOS = 5_000_000_000L;
    private static @Nullable Launcher launcher; // guarded by LOCK
    private static final HomePool COMPLETIONS = new HomePool("netns-home-completion", 30);

    private HomeThreads() {
    }

    /** Whether the calling thread is the launcher. */
    private static boolean onLauncher() {
        Thread current = Thread.currentThread();
        return current instanceof Launcher;
    }

    /**
     * Runs a task on the launcher and waits for it: a thread (or a {@link java.lang.ref.Cleaner})
     * the task starts is born at home. Waits through interrupts (kept for the caller): what the
     * task starts must not be half done.
     */
    public static <T> T call(Callable<T> task) {
        if (onLauncher()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new NetnsException("A home thread's task failed: " + e, e);
            }
        }
        FutureTask<T> future = new FutureTask<>(task);
        launcher().submit(future);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new NetnsException("A home thread's task failed: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A {@link java.lang.ref.Cleaner} whose thread is started from home. (Called from a class's
     * static initialiser: nothing the launcher runs here may need that class.)
     */
    public static java.lang.ref.Cleaner newCleaner(String threadName) {
        return call(() -> java.lang.ref.Cleaner.create(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** A new daemon thread started from home, and started; returns once it runs. */
    public static Thread start(String name, Runnable body) {
        return call(() -> {
            Thread thread = new Thread(body, name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        });
    }

    /** Starts a thread the caller made (not yet started) from home, and returns once it runs. */
    public static void start(Thread thread) {
        call(() -> {
            thread.start();
            return null;
        });
    }

    /**
     * Starts a daemon thread from home without waiting (for callers that must not block, such as a
     * pinned worker handing over); {@code failed} runs, on the launcher, if it cannot be started.
     */
    public static void startLater(String name, Runnable body, Runnable failed) {
        Runnable starting = () -> {
            try {
                Thread thread = new Thread(body, name);
                thread.setDaemon(true);
                thread.start();
            } catch (Throwable e) {
                log.error("Cannot start thread {}", name, e);
                failed.run();
            }
        };
        if (onLauncher()) {
            starting.run();
            return;
        }
        try {
            launcher().submit(starting);
        } catch (RuntimeException e) {
            log.error("Cannot start thread {}", name, e);
            failed.run();
        }
    }

    /**
     * Home threads for completing futures handed to callers and for their {@code *Async} stages:
     * a pool that grows while no thread is idle and shrinks after 30 s idle, its threads started
     * by the launcher.
     */
    public static Executor completions() {
        return COMPLETIONS;
    }

    /**
     * Runs a short task after a delay on the library's timer thread (one home thread for the JVM,
     * started by the launcher and kept); cancelling the returned future removes it from the timer.
     */
    public static ScheduledFuture<?> schedule(long delayNanos, Runnable task) {
        return launcher().timer.schedule(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                log.error("A netns timer task failed", e);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private static Launcher launcher() {
        synchronized (LOCK) {
            Launcher current = launcher;
            if (current == null || !current.isAlive() && current.started) {
                current = new Launcher();
                launcher = current;
                current.start();
            }
            Throwable failure = current.awaitHome();
            if (failure != null) {
                launcher = null;
                throw new NetnsException("The library's home thread could not move to this JVM's own namespaces,"
                        + " so it starts no thread: " + failure, failure);
            }
            return current;
        }
    }

    /** The thread that starts every other library thread. */
    private static final class Launcher extends Thread {

        private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        private final java.util.concurrent.CountDownLatch home = new java.util.concurrent.CountDownLatch(1);
        private volatile @Nullable Throwable failure;
        private volatile boolean started;
        /** Started by the launcher once home, and kept: the pool then never starts a thread elsewhere. */
        private volatile ScheduledThreadPoolExecutor timer;

        Launcher() {
            super("netns-home");
            setDaemon(true);
        }

        @Override
        public synchronized void start() {
            started = true;
            super.start();
        }

        /** Waits until the launcher is home, or failed to get there (returned). */
        @Nullable Throwable awaitHome() {
            boolean interrupted = false;
            while (true) {
                try {
                    home.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return failure;
        }

        void submit(Runnable task) {
            tasks.add(task);
        }

        @Override
        public void run() {
            try {
                if (Linux.isLinux()) {
                    ThreadNamespaces.goHome();
                }
                ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, runnable -> {
                    Thread thread = new Thread(runnable, "netns-home-timer");
                    thread.setDaemon(true);
                    return thread;
                });
                created.setRemoveOnCancelPolicy(true);
                created.prestartAllCoreThreads();
                timer = created;
            } catch (Throwable e) {
                failure = e;
                home.countDown();
                return;
            }
            home.countDown();
            while (true) {
                try {
                    tasks.take().run();
                } catch (InterruptedException e) {
                    // nobody interrupts the launcher on purpose; keep serving
                } catch (Throwable e) {
                    log.error("A task of the netns home thread failed", e);
                }
            }
        }
    }

    /** Waits for a thread to end, keeping an interrupt for the caller. */
    public static void joinUninterruptibly(Thread thread) {
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
    }

    /**
     * Waits until an OS thread of this JVM is gone from {@code /proc/self/task}: a Java thread has
     * ended ({@link Thread#join()} returned) a moment before its OS thread has.
     *
     * @throws NetnsException when it is still listed after 5 s
     */
    public static void awaitGone(int tid) {
        if (tid <= 0) {
            return;
        }
        byte[] task = Syscalls.nativePath("/proc/self/task/" + tid);
        long deadline = System.nanoTime() + GONE_TIMEOUT_NANOS;
        for (int spins = 0; Syscalls.idOfOrNull(task) != null; spins++) {
            if (System.nanoTime() > deadline) {
                throw new NetnsException("Thread " + tid + " has ended but is still listed in /proc/self/task after 5 s");
            }
            if (spins > 100) {
                LockSupport.parkNanos(100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
