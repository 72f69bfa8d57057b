package dev.netns;

import dev.netns.internal.PinnedThreads;
import dev.netns.internal.Syscalls;
import dev.netns.internal.ThreadNamespaces;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of one pinned thread: enter the assigned executor's namespace, run its tasks, check
 * after each one that the thread is still where it should be in every namespace kind
 * ({@link ThreadNamespaces}), and end when a task moved it, when it idled for the keep-alive, or
 * on close. The {@link WorkerPool} may move an idle worker to another executor: it then enters
 * that namespace (setns, check, rename) and serves there. The fields marked so are guarded by the
 * pool's lock.
 */
final class PinnedWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PinnedWorker.class);
    private static final ThreadLocal<@Nullable PinnedWorker> CURRENT = new ThreadLocal<>();

    private final WorkerPool pool;
    private final int number;
    final CountDownLatch ended = new CountDownLatch(1);

    // guarded by pool
    @Nullable PinnedExecutor executor;
    boolean idle;
    boolean writtenOff;

    private volatile @Nullable Thread thread;
    private volatile @Nullable PinnedTask<?> task;
    private volatile long taskStart;
    /** The executor whose namespace this thread is in; only this thread touches it. */
    private @Nullable PinnedExecutor serving;

    PinnedWorker(WorkerPool pool, PinnedExecutor executor, int number) {
        this.pool = pool;
        this.executor = executor;
        this.number = number;
    }

    /** The worker that is the calling thread, or null. */
    static @Nullable PinnedWorker current() {
        return CURRENT.get();
    }

    /** The executor whose namespace the calling worker is in. */
    @Nullable PinnedExecutor serving() {
        return serving;
    }

    String threadName() {
        PinnedExecutor assigned = executor;
        return "netns-" + (assigned != null ? assigned.label() : "worker") + "-" + number;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        int tid = Syscalls.gettid();
        PinnedThreads.add(tid);
        CURRENT.set(this);
        ThreadNamespaces place = null;
        try {
            PinnedExecutor target = pool.assignment(this);
            if (target != null) {
                place = ThreadNamespaces.ofCallingThread(target.id());
                serve(place, target);
            }
        } catch (Throwable e) {
            log.error("Pinned thread {} stopped", Thread.currentThread().getName(), e);
        } finally {
            if (place != null) {
                place.close();
            }
            PinnedThreads.remove(tid);
            CURRENT.remove();
            pool.ended(this);
            ended.countDown();
        }
    }

    private void serve(ThreadNamespaces place, PinnedExecutor first) {
        PinnedExecutor target = first;
        while (target != null) {
            try {
                enter(place, target);
            } catch (RuntimeException | Error e) {
                pool.enterFailed(this, target, e);
                return; // wherever the thread is now, it ends
            }
            PinnedTask<?> next;
            while ((next = pool.take(this, target)) != null) {
                runTask(next, target);
                if (!place.inPlace()) {
                    log.warn("A task moved pinned thread {} out of place ({} not as expected): the thread is retired and"
                            + " replaced", Thread.currentThread().getName(), place.movedKinds());
                    pool.moved(this, target);
                    return;
                }
            }
            target = pool.assignment(this);
        }
    }

    /** Moves this thread into the executor's namespace, checks it arrived, and names it after it. */
    private void enter(ThreadNamespaces place, PinnedExecutor target) {
        // A new thread checks every kind once; a moved one was checked after its last task and the
        // move changed only net, so net is all there is to check.
        boolean moved = serving != null;
        if (serving != target) {
            Netns.set(target.handle());
            place.expectNet(target.id());
            serving = target;
        }
        if (moved ? !place.netInPlace() : !place.inPlace()) {
            throw new NetnsException("Pinned thread " + Thread.currentThread().getName() + " did not arrive in namespace "
                    + target.id() + " (" + place.movedKinds() + " not as expected)");
        }
        Thread.currentThread().setName(threadName());
    }

    private void runTask(PinnedTask<?> next, PinnedExecutor target) {
        try {
            next.run();
        } catch (Throwable e) {
            log.warn("Task in namespace {} failed", target.id(), e);
        } finally {
            next.uncount();
            pool.finished(this, target);
            Thread.interrupted(); // a cancellation's interrupt must not reach the next task
        }
    }

    /** Called by the pool, with its lock held, as the worker takes a task. */
    void started(PinnedTask<?> next, long now) {
        next.countAsRunning();
        taskStart = now;
        task = next;
    }

    void finished() {
        task = null;
    }

    /** How long the current callback has run, or 0 when none runs. */
    long runningFor(long now) {
        return task != null ? Math.max(now - taskStart, 1) : 0;
    }

    /** Cancels the running callback, interrupting it. */
    void interruptTask() {
        PinnedTask<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
    }

    void wake() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** Waits until the thread has ended or the deadline ({@link System#nanoTime()}); whether it ended. */
    boolean join(long deadline) {
        try {
            if (!ended.await(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS)) {
                return false;
            }
            Thread current = thread;
            if (current != null) {
                TimeUnit.NANOSECONDS.timedJoin(current, Math.max(deadline - System.nanoTime(), 1));
                return !current.isAlive();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs {@code body} on the calling pinned worker inside the executor's namespace: in place when
     * the worker is there already, else it goes there and comes back (if it cannot come back, its
     * after-task check retires it).
     */
    static void runIn(PinnedExecutor target, Runnable body) {
        PinnedWorker worker = current();
        PinnedExecutor home = worker != null ? worker.serving : null;
        if (home == null || home.id().equals(target.id())) {
            body.run();
            return;
        }
        Netns.set(target.handle());
        try {
            body.run();
        } finally {
            Netns.set(home.handle());
        }
    }
}
