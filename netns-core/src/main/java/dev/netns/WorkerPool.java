package dev.netns;

import dev.netns.internal.HomeThreads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who runs what: the pinned threads of one {@link NamespaceExecutors} under its global cap, and
 * which executor each serves. One lock, this object's monitor, guards every scheduling field here
 * and in every {@link PinnedExecutor} and {@link PinnedWorker}, so these invariants hold whenever
 * it is free:
 * <ol>
 * <li>{@code live} (workers started or starting, not written off as hung) never exceeds
 *     {@code maxThreads}: the cap is hard.</li>
 * <li>A worker serves one executor at a time ({@code worker.executor}); {@code executor.workers}
 *     counts the live ones that serve it, at most {@code threadsPerNamespace}.</li>
 * <li>An idle worker is in its executor's {@code idle} deque and in {@code idleWorkers}, nowhere
 *     else; a worker handed a task, moved or leaving is in neither.</li>
 * <li>An executor with queued tasks has a worker coming: one serving it, or it is in
 *     {@code waiting} (the cap is reached and no worker is idle to move).</li>
 * <li>An executor is terminated, and its handle closed, only with no worker (counting those
 *     written off as hung, {@code executor.hungWorkers}) and no task, so a worker never enters
 *     through a closed fd and a running callback's handle stays open.</li>
 * <li>Once {@code closed}, no task is handed out and no worker starts or moves.</li>
 * </ol>
 * Threads start from home ({@link HomeThreads}); a worker past the cap is moved, not started:
 * the oldest idle worker of another namespace goes over (setns, check, rename).
 *
 * <p>Longer than the other classes on purpose: every decision that touches more than one executor
 * or worker (hand a task, start, move, retire, write off, close) is here, under the one lock, so
 * that the invariants above are kept in one file; {@link PinnedExecutor} and {@link PinnedWorker}
 * only hold state and run tasks.
 */
final class WorkerPool {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final ExecutorSettings settings;
    private final long keepAliveNanos;
    private final long hungAfterNanos;
    private final Consumer<PinnedExecutor> onTerminated;

    private int live;
    private int hung;
    private int threadNumbers;
    private boolean closed;
    private boolean hungCheckScheduled;
    private final LinkedHashSet<PinnedWorker> idleWorkers = new LinkedHashSet<>();
    private final LinkedHashSet<PinnedExecutor> waiting = new LinkedHashSet<>();
    private final LinkedHashSet<PinnedWorker> all = new LinkedHashSet<>();

    WorkerPool(ExecutorSettings settings, Consumer<PinnedExecutor> onTerminated) {
        this.settings = settings;
        this.keepAliveNanos = settings.keepAlive().toNanos();
        this.hungAfterNanos = settings.hungAfter().toNanos();
        this.onTerminated = onTerminated;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Live pinned threads, not counting those written off as hung. */
    synchronized int liveThreads() {
        return live;
    }

    /** Threads written off as hung whose callback still runs. */
    synchronized int hungThreads() {
        return hung;
    }

    /** A new executor starts its keep-alive now, so one that never gets a task still retires. */
    synchronized void created(PinnedExecutor executor) {
        if (closed) {
            throw new RejectedExecutionException("NamespaceExecutors is closed");
        }
        scheduleRetireCheck(executor, keepAliveNanos);
    }

    // --- callers ---

    void submit(PinnedExecutor executor, PinnedTask<?> task) {
        PinnedWorker wake;
        synchronized (this) {
            if (executor.state != PinnedExecutor.State.RUNNING || closed) {
                throw rejection(executor);
            }
            if (executor.queue.size() >= settings.queueCapacity()) {
                throw new RejectedExecutionException("The task queue of namespace " + executor.label() + " ("
                        + executor.id() + ") is full: " + settings.queueCapacity()
                        + " tasks wait (netns executor queue capacity)");
            }
            executor.queue.addLast(task);
            executor.lastActive = System.nanoTime();
            wake = executor.idle.pollLast(); // the most recently idle: the others may idle out
            if (wake != null) {
                idleWorkers.remove(wake);
                wake.idle = false;
            } else if (needsWorker(executor)) {
                supply(executor);
            }
        }
        if (wake != null) {
            wake.wake();
        }
    }

    private RejectedExecutionException rejection(PinnedExecutor executor) {
        if (closed) {
            return new RejectedExecutionException("NamespaceExecutors is closed: the executor of namespace "
                    + executor.label() + " (" + executor.id() + ") takes no more tasks");
        }
        if (executor.state == PinnedExecutor.State.TERMINATED) {
            return new RetiredExecutorException("The executor of namespace " + executor.label() + " (" + executor.id()
                    + ") retired; ask NamespaceExecutors.executorFor for the current one");
        }
        return new RejectedExecutionException("The executor of namespace " + executor.label() + " (" + executor.id()
                + ") is shut down");
    }

    /** More tasks wait than its workers will get to soon, and it may have another thread. */
    private boolean needsWorker(PinnedExecutor executor) {
        int available = executor.workers - executor.inCallback.get();
        return executor.queue.size() > available && executor.workers < settings.threadsPerNamespace();
    }

    /** Gives the executor a worker: a new thread under the cap, else an idle one moved over, else it waits. */
    private void supply(PinnedExecutor executor) {
        if (closed) {
            return;
        }
        if (live < settings.maxThreads()) {
            startWorker(executor);
            return;
        }
        Iterator<PinnedWorker> oldestFirst = idleWorkers.iterator();
        if (oldestFirst.hasNext()) {
            PinnedWorker worker = oldestFirst.next();
            move(worker, executor);
            worker.wake();
            return;
        }
        waiting.add(executor);
        scheduleHungCheck();
    }

    private void startWorker(PinnedExecutor executor) {
        live++;
        executor.workers++;
        PinnedWorker worker = new PinnedWorker(this, executor, ++threadNumbers);
        all.add(worker);
        HomeThreads.startLater(worker.threadName(), worker, () -> notStarted(worker));
    }

    private synchronized void notStarted(PinnedWorker worker) {
        PinnedExecutor executor = worker.executor;
        if (executor != null) {
            leave(worker, executor);
        }
        all.remove(worker);
        worker.ended.countDown();
        failQueued(executor, new RejectedExecutionException("Cannot start a pinned thread"));
    }

    /** Moves a worker to another executor; it enters there when it next looks at its assignment. */
    private void move(PinnedWorker worker, PinnedExecutor to) {
        PinnedExecutor from = worker.executor;
        if (from != null) {
            from.idle.remove(worker);
            from.workers--;
            afterWorkerLeft(from);
        }
        idleWorkers.remove(worker);
        worker.idle = false;
        worker.executor = to;
        to.workers++;
        if (!needsWorker(to)) {
            waiting.remove(to);
        }
    }

    // --- workers ---

    /** The executor a worker is to serve now, or null when it is to end. */
    synchronized @Nullable PinnedExecutor assignment(PinnedWorker worker) {
        return worker.writtenOff || closed ? null : worker.executor;
    }

    /**
     * The next task for a worker of {@code serving}, waiting up to the keep-alive; null when the
     * worker is to stop serving it: moved elsewhere ({@link #assignment}), or leaving.
     */
    @Nullable PinnedTask<?> take(PinnedWorker worker, PinnedExecutor serving) {
        long deadline = 0;
        while (true) {
            long now = System.nanoTime();
            synchronized (this) {
                if (worker.executor != serving || worker.writtenOff) {
                    return null;
                }
                PinnedTask<?> task = closed ? null : serving.queue.pollFirst();
                if (task != null) {
                    if (worker.idle) {
                        serving.idle.remove(worker);
                        idleWorkers.remove(worker);
                        worker.idle = false;
                    }
                    serving.inCallback.incrementAndGet();
                    serving.lastActive = now;
                    worker.started(task, now);
                    return task;
                }
                if (!closed && !waiting.isEmpty()) {
                    move(worker, waiting.iterator().next());
                    return null;
                }
                if (deadline == 0) {
                    deadline = now + keepAliveNanos;
                }
                if (closed || serving.state != PinnedExecutor.State.RUNNING || now - deadline >= 0) {
                    leave(worker, serving);
                    return null;
                }
                if (!worker.idle) {
                    serving.idle.addLast(worker);
                    idleWorkers.add(worker);
                    worker.idle = true;
                }
            }
            LockSupport.parkNanos(this, deadline - now);
            Thread.interrupted(); // only close() interrupts an idle worker, and it sets closed first
        }
    }

    /** A worker is done with a task (its outcome is published). */
    void finished(PinnedWorker worker, PinnedExecutor serving) {
        worker.finished();
        serving.completed.increment();
    }

    /** A task moved its worker out of place: the thread ends, and is replaced if tasks wait. */
    synchronized void moved(PinnedWorker worker, PinnedExecutor serving) {
        serving.retired++;
        if (!worker.writtenOff) {
            leave(worker, serving);
        }
    }

    /** A worker could not enter (or move into) an executor's namespace: it ends, and the tasks queued there fail. */
    void enterFailed(PinnedWorker worker, PinnedExecutor executor, Throwable cause) {
        log.error("A worker could not enter namespace {} ({}): failing its queued tasks", executor.label(), executor.id(), cause);
        synchronized (this) {
            if (worker.executor == executor && !worker.writtenOff) {
                leave(worker, executor);
            }
        }
        failQueued(executor, cause);
    }

    private void failQueued(@Nullable PinnedExecutor executor, Throwable cause) {
        if (executor == null) {
            return;
        }
        List<PinnedTask<?>> failed;
        synchronized (this) {
            failed = new ArrayList<>(executor.queue);
            executor.queue.clear();
            afterWorkerLeft(executor);
        }
        failed.forEach(task -> task.fail(cause));
    }

    /** The worker's thread ends (whatever the reason): it no longer counts anywhere. */
    synchronized void ended(PinnedWorker worker) {
        PinnedExecutor executor = worker.executor;
        if (worker.writtenOff) {
            hung--;
            if (executor != null) {
                executor.hungWorkers--;
                afterWorkerLeft(executor); // it may retire now that no callback runs in it
            }
        } else if (executor != null) {
            leave(worker, executor); // ended by a failure nobody else accounted for
        }
        worker.executor = null;
        all.remove(worker);
        notifyAll();
    }

    /** A worker stops serving an executor and gives its place under the cap back. */
    private void leave(PinnedWorker worker, PinnedExecutor executor) {
        if (worker.idle) {
            executor.idle.remove(worker);
            idleWorkers.remove(worker);
            worker.idle = false;
        }
        worker.executor = null;
        executor.workers--;
        live--;
        afterWorkerLeft(executor);
        serveWaiting();
    }

    private void afterWorkerLeft(PinnedExecutor executor) {
        if (executor.state == PinnedExecutor.State.TERMINATED || executor.workers > 0) {
            return;
        }
        if (!executor.queue.isEmpty()) {
            if (needsWorker(executor)) {
                supply(executor);
            }
        } else if (executor.hungWorkers > 0) {
            return; // retires once the last hung callback returns (ended)
        } else if (executor.state == PinnedExecutor.State.SHUTDOWN || closed) {
            terminate(executor);
        } else {
            scheduleRetireCheck(executor, keepAliveNanos - (System.nanoTime() - executor.lastActive));
        }
    }

    /** Starts threads for waiting executors while the cap allows. */
    private void serveWaiting() {
        Iterator<PinnedExecutor> it = waiting.iterator();
        while (it.hasNext() && live < settings.maxThreads() && !closed) {
            PinnedExecutor executor = it.next();
            if (executor.state != PinnedExecutor.State.TERMINATED && needsWorker(executor)) {
                startWorker(executor);
            }
            if (executor.state == PinnedExecutor.State.TERMINATED || !needsWorker(executor)) {
                it.remove();
            }
        }
    }

    // --- retirement ---

    private void scheduleRetireCheck(PinnedExecutor executor, long delayNanos) {
        if (!executor.retireScheduled) {
            executor.retireScheduled = true;
            HomeThreads.schedule(Math.max(delayNanos, 0) + 1_000_000, () -> retireIfIdle(executor));
        }
    }

    private synchronized void retireIfIdle(PinnedExecutor executor) {
        executor.retireScheduled = false;
        if (executor.state == PinnedExecutor.State.TERMINATED || executor.workers > 0 || executor.hungWorkers > 0
                || !executor.queue.isEmpty()) {
            return;
        }
        long idleFor = System.nanoTime() - executor.lastActive;
        if (idleFor >= keepAliveNanos || closed) {
            terminate(executor);
        } else {
            scheduleRetireCheck(executor, keepAliveNanos - idleFor);
        }
    }

    private void terminate(PinnedExecutor executor) {
        executor.markTerminated();
        waiting.remove(executor);
        // Closed before the executor leaves the map: no worker serves it, none can be moved in.
        executor.handle().close();
        onTerminated.accept(executor);
        notifyAll();
    }

    /** Takes no more tasks for the executor; queued ones still run, then it terminates. */
    synchronized void shutdown(PinnedExecutor executor) {
        if (executor.state != PinnedExecutor.State.RUNNING) {
            return;
        }
        executor.state = PinnedExecutor.State.SHUTDOWN;
        if (executor.workers == 0 && executor.hungWorkers == 0 && executor.queue.isEmpty()) {
            terminate(executor);
        }
        for (PinnedWorker worker : executor.idle) {
            worker.wake();
        }
    }

    /** Shuts the executor down, takes its queued tasks back and interrupts its running callbacks. */
    Collection<PinnedTask<?>> shutdownNow(PinnedExecutor executor) {
        List<PinnedTask<?>> drained;
        synchronized (this) {
            shutdown(executor);
            drained = new ArrayList<>(executor.queue);
            executor.queue.clear();
            for (PinnedWorker worker : all) {
                if (worker.executor == executor) {
                    worker.interruptTask();
                }
            }
            afterWorkerLeft(executor);
        }
        return drained;
    }

    // --- hung callbacks ---

    private void scheduleHungCheck() {
        if (!hungCheckScheduled) {
            hungCheckScheduled = true;
            HomeThreads.schedule(Math.max(hungAfterNanos / 4, 1_000_000), this::checkHung);
        }
    }

    /**
     * While executors wait for a thread, writes off workers whose callback has run longer than
     * the hung threshold: they no longer count against the cap (at most the cap's worth of them),
     * so the waiting get threads, and they end once their callback returns.
     */
    private synchronized void checkHung() {
        hungCheckScheduled = false;
        if (closed || waiting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (PinnedWorker worker : all) {
            PinnedExecutor executor = worker.executor;
            if (executor != null && !worker.writtenOff && worker.runningFor(now) > hungAfterNanos
                    && hung < settings.maxThreads()) {
                log.warn("A callback in namespace {} ({}) has run for {} ms on {}: its thread no longer counts against"
                        + " the cap and ends when the callback returns", executor.label(), executor.id(),
                        TimeUnit.NANOSECONDS.toMillis(worker.runningFor(now)), worker.threadName());
                worker.writtenOff = true;
                executor.workers--;
                executor.hungWorkers++;
                live--;
                hung++;
            }
        }
        serveWaiting();
        if (!waiting.isEmpty()) {
            scheduleHungCheck();
        }
    }

    synchronized ExecutorInfo info(PinnedExecutor executor) {
        long now = System.nanoTime();
        int threads = 0;
        int active = 0;
        int hungNow = 0;
        for (PinnedWorker worker : all) {
            if (worker.executor == executor) {
                threads++;
                if (worker.runningFor(now) > 0) {
                    active++;
                }
                if (worker.runningFor(now) > hungAfterNanos) {
                    hungNow++;
                }
            }
        }
        return new ExecutorInfo(executor.id(), executor.label(), threads, active, executor.queue.size(),
                executor.completed.sum(), executor.retired, hungNow);
    }

    // --- close ---

    /**
     * Closes: no task starts from now on (queued ones fail with {@link RejectedExecutionException}),
     * idle workers end, running callbacks get half the timeout, are then interrupted, and get the
     * rest. Returns the names of the threads still alive at the deadline. A callback calling it
     * is not waited for: its thread ends once it returns.
     */
    List<String> close(Supplier<Collection<PinnedExecutor>> live, long timeoutNanos) {
        long start = System.nanoTime();
        List<PinnedTask<?>> cancelled = new ArrayList<>();
        List<PinnedWorker> workers;
        List<PinnedExecutor> executors;
        synchronized (this) {
            closed = true;
            executors = new ArrayList<>(live.get()); // made under this lock, so none is missed
            waiting.clear();
            for (PinnedExecutor executor : executors) {
                if (executor.state == PinnedExecutor.State.RUNNING) {
                    executor.state = PinnedExecutor.State.SHUTDOWN;
                }
                cancelled.addAll(executor.queue);
                executor.queue.clear();
                if (executor.workers == 0 && executor.hungWorkers == 0 && executor.state != PinnedExecutor.State.TERMINATED) {
                    terminate(executor);
                }
            }
            workers = new ArrayList<>(all);
            // Called from a callback: its own thread is not waited for (nor interrupted); it ends
            // as that callback returns.
            workers.remove(PinnedWorker.current());
            workers.forEach(PinnedWorker::wake);
        }
        RejectedExecutionException closedBeforeStart = new RejectedExecutionException(
                "NamespaceExecutors was closed before the task started");
        cancelled.forEach(task -> task.fail(closedBeforeStart));

        awaitEnd(workers, start + timeoutNanos / 2);
        for (PinnedWorker worker : workers) {
            worker.interruptTask();
        }
        awaitEnd(workers, start + timeoutNanos);
        List<String> stuck = new ArrayList<>();
        for (PinnedWorker worker : workers) {
            if (!worker.join(start + timeoutNanos)) {
                stuck.add(worker.threadName());
            }
        }
        synchronized (this) {
            for (PinnedExecutor executor : executors) {
                if (executor.state != PinnedExecutor.State.TERMINATED) {
                    terminate(executor); // stuck workers no longer need the fd: they are in the namespace
                }
            }
        }
        return stuck;
    }

    private synchronized void awaitEnd(List<PinnedWorker> workers, long deadline) {
        boolean interrupted = false;
        while (workers.stream().anyMatch(all::contains)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
