package dev.netns;

import dev.netns.internal.HomeThreads;
import dev.netns.internal.PinnedThreads;
import dev.netns.internal.Syscalls;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform threads pinned to one namespace. Each worker enters the namespace once, when it
 * starts, and checks after every task that it is still there; a worker a task moved is retired,
 * never reused. Workers beyond the first start only while none is idle, up to the per-namespace
 * limit, and each holds one permit of the global cap. When the last worker has gone and nothing
 * is queued, the executor retires and closes its handle; it then rejects tasks with
 * {@link RetiredExecutorException}, and {@link NamespaceExecutors#executorFor} makes a new one.
 */
final class PinnedExecutor extends AbstractExecutorService {

    private static final Logger log = LoggerFactory.getLogger(PinnedExecutor.class);
    private static final ThreadLocal<@Nullable PinnedExecutor> CURRENT = new ThreadLocal<>();
    private static final String THREAD_NS_DIR = "/proc/thread-self/ns";
    /** "net", NUL-terminated for {@link Syscalls#idOfOrNull(int, byte[])}: ASCII, the same in any encoding. */
    private static final byte[] NET = {'n', 'e', 't', 0};

    /** Wakes an idle worker so it can reconsider (give its permit away, or stop on shutdown). */
    static final Runnable NUDGE = () -> { };

    private enum State { RUNNING, SHUTDOWN, TERMINATED }

    private final NamespaceExecutors owner;
    private final NsHandle handle;
    private final NamespaceId id;
    private volatile String label;
    private final int maxWorkers;
    private final long keepAliveNanos;
    private final int queueCapacity;
    private final LinkedBlockingQueue<Runnable> queue;
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger(); // queued tasks, not counting nudges
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final AtomicLong retired = new AtomicLong();
    private final AtomicInteger threadNumbers = new AtomicInteger();
    final AtomicBoolean waitingForPermit = new AtomicBoolean();

    private final Object lock = new Object();
    private int workers; // guarded by lock
    private final Set<Thread> threads = new HashSet<>(); // started and not yet joined, guarded by lock
    private volatile State state = State.RUNNING;

    PinnedExecutor(NamespaceExecutors owner, NsHandle handle, String label, ExecutorSettings settings) {
        this.owner = owner;
        this.handle = handle;
        this.id = Objects.requireNonNull(handle.id());
        this.label = label;
        this.maxWorkers = settings.threadsPerNamespace();
        this.keepAliveNanos = settings.keepAlive().toNanos();
        this.queueCapacity = settings.queueCapacity();
        this.queue = new LinkedBlockingQueue<>(); // bounded by pending: nudges must always fit
    }

    /** The executor whose worker is the calling thread, or null. */
    static @Nullable PinnedExecutor current() {
        return CURRENT.get();
    }

    NamespaceId id() {
        return id;
    }

    NsHandle handle() {
        return handle;
    }

    String label() {
        return label;
    }

    /** Names the executor (metrics, new threads) after an alias it is reached through. */
    void relabel(String alias) {
        this.label = alias;
    }

    /** Whether it still takes tasks (not shut down or retired). */
    boolean accepting() {
        return state == State.RUNNING;
    }

    int idleWorkers() {
        return idle.get();
    }

    ExecutorInfo info() {
        int threadCount;
        synchronized (lock) {
            threadCount = workers;
        }
        return new ExecutorInfo(id, label, threadCount, active.get(), pending.get(), completed.sum(), retired.get());
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new PinnedTask<>(runnable, value);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new PinnedTask<>(callable);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (lock) { // atomic with retirement: a task is never left in a retired queue
            if (state != State.RUNNING) {
                throw rejection();
            }
            if (pending.get() >= queueCapacity || !queue.offer(task)) {
                throw new RejectedExecutionException("The task queue of namespace " + label + " (" + id + ") is full: "
                        + queueCapacity + " tasks wait (netns executor queue capacity)");
            }
            pending.incrementAndGet();
        }
        if (idle.get() == 0) {
            ensureWorker();
        }
    }

    private RejectedExecutionException rejection() {
        return state == State.TERMINATED && !owner.isClosed()
                ? new RetiredExecutorException("The executor of namespace " + label + " (" + id + ") retired after"
                        + " its threads idled; ask NamespaceExecutors.executorFor for the current one")
                : new RejectedExecutionException("The executor of namespace " + label + " (" + id + ") is shut down");
    }

    /** Starts a worker when tasks wait, none is idle and the limit allows; waits for a global permit if needed. */
    void ensureWorker() {
        synchronized (lock) {
            if (!needsWorkerLocked()) {
                return;
            }
            if (owner.tryAcquirePermit()) {
                startWorkerLocked();
                return;
            }
        }
        owner.awaitPermit(this);
    }

    /** Called with a global permit in hand; false (the caller keeps the permit) when no worker is needed now. */
    boolean startWithPermit() {
        synchronized (lock) {
            if (!needsWorkerLocked()) {
                return false;
            }
            startWorkerLocked();
            return true;
        }
    }

    private boolean needsWorkerLocked() {
        return state != State.TERMINATED && pending.get() > 0 && workers < maxWorkers && (workers == 0 || idle.get() == 0);
    }

    private void startWorkerLocked() {
        workers++;
        owner.workerStarted();
        // Started at home: a thread is born in its starter's UTS and IPC namespaces, and the caller
        // may be in others (a thread that unshared them, a worker of another executor).
        Thread thread;
        try {
            thread = HomeThreads.start("netns-" + label + "-" + threadNumbers.incrementAndGet(), this::work);
        } catch (RuntimeException | Error e) {
            workers--; // no thread at home could be had: as if this worker had never been
            owner.workerEnded();
            owner.releasePermit();
            throw e;
        }
        threads.removeIf(started -> !started.isAlive());
        threads.add(thread);
    }

    /** Offers a nudge to wake an idle worker. */
    void nudge() {
        queue.offer(NUDGE);
    }

    /** Why a worker stops. */
    private enum Exit { IDLE, MOVED, HANDED_OVER, SHUTDOWN, FAILED }

    private void work() {
        int tid = Syscalls.gettid();
        Exit reason = Exit.FAILED;
        // This thread's own /proc ns directory, held open so the check after every task looks up
        // only "net" in it, not the whole /proc/thread-self/ns/net path (about half the cost).
        int nsDir = -1;
        try {
            Netns.set(handle);
            nsDir = Syscalls.open(THREAD_NS_DIR, Syscalls.O_PATH | Syscalls.O_DIRECTORY, 0,
                    "Cannot open the namespace directory of worker " + Thread.currentThread().getName());
            if (!inNamespace(nsDir)) {
                throw new NetnsException("Worker " + Thread.currentThread().getName() + " did not arrive in namespace " + id);
            }
        } catch (Throwable e) {
            if (nsDir >= 0) {
                Syscalls.closeQuietly(nsDir);
            }
            failQueuedTasks(e);
            exit(reason);
            return;
        }
        PinnedThreads.add(tid);
        CURRENT.set(this);
        log.debug("Worker {} entered namespace {}", Thread.currentThread().getName(), id);
        try {
            reason = runTasks(nsDir);
        } catch (Throwable e) {
            log.error("Worker {} of namespace {} stopped", Thread.currentThread().getName(), id, e);
        } finally {
            PinnedThreads.remove(tid);
            CURRENT.remove();
            Syscalls.closeQuietly(nsDir);
            exit(reason);
        }
    }

    private Exit runTasks(int nsDir) {
        boolean countedIdle = false;
        try {
            while (true) {
                if (!countedIdle) {
                    idle.incrementAndGet();
                    countedIdle = true;
                }
                Runnable task;
                try {
                    task = queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    task = NUDGE;
                }
                if (task == null) { // idled for the keep-alive
                    synchronized (lock) {
                        if (pending.get() == 0) {
                            idle.decrementAndGet();
                            countedIdle = false;
                            return Exit.IDLE;
                        }
                    }
                    continue;
                }
                if (task != NUDGE) {
                    // pending first: a caller that finds no worker idle then also finds its task
                    // taken, and starts no other worker for it
                    pending.decrementAndGet();
                    idle.decrementAndGet();
                    countedIdle = false;
                    active.incrementAndGet();
                    boolean idleAlready = false;
                    try {
                        if (task instanceof PinnedTask<?> pinned) {
                            idleAlready = pinned.runCountingIdle(idle);
                        } else {
                            task.run();
                        }
                    } catch (Throwable e) {
                        log.warn("Task in namespace {} failed", id, e);
                    } finally {
                        active.decrementAndGet();
                        completed.increment();
                    }
                    // Idle from the moment the outcome is published, through the namespace check:
                    // the caller's next task, often queued in that window, then waits for this
                    // worker rather than starting another (if the check fails, exit() finds it one).
                    if (!idleAlready) {
                        idle.incrementAndGet();
                    }
                    countedIdle = true;
                    Thread.interrupted(); // a cancellation's interrupt must not reach the next task
                    if (!inNamespace(nsDir)) {
                        retired.incrementAndGet();
                        log.warn("A task moved worker {} out of namespace {}: the thread is retired and replaced",
                                Thread.currentThread().getName(), id);
                        return Exit.MOVED;
                    }
                }
                if (pending.get() == 0) {
                    if (state != State.RUNNING) {
                        return Exit.SHUTDOWN;
                    }
                    if (owner.permitsWanted()) {
                        return Exit.HANDED_OVER; // another namespace waits for a thread under the global cap
                    }
                }
            }
        } finally {
            if (countedIdle) {
                idle.decrementAndGet();
            }
        }
    }

    /** Whether this thread is still in the namespace: {@code net} in its own ns directory is its current one. */
    private boolean inNamespace(int nsDir) {
        return id.equals(Syscalls.idOfOrNull(nsDir, NET));
    }

    private void failQueuedTasks(Throwable cause) {
        log.error("A worker could not enter namespace {} ({}): failing its queued tasks", label, id, cause);
        List<Runnable> drained = new ArrayList<>();
        queue.drainTo(drained);
        for (Runnable task : drained) {
            if (task instanceof PinnedTask<?> pinned) {
                pending.decrementAndGet();
                pinned.fail(cause);
            } else if (task != NUDGE) {
                pending.decrementAndGet();
            }
        }
    }

    /**
     * A worker leaves. A moved worker is replaced at once; the executor terminates when its last
     * worker leaves with nothing queued (after a shutdown, the keep-alive, or handing its thread
     * to another namespace), and closes its handle.
     */
    private void exit(Exit reason) {
        boolean terminated = false;
        boolean replace = false;
        synchronized (lock) {
            workers--;
            owner.workerEnded();
            if (workers == 0 && pending.get() == 0 && state != State.TERMINATED) {
                if (reason == Exit.MOVED && state == State.RUNNING && owner.tryAcquirePermit()) {
                    startWorkerLocked(); // the replacement, holding the permit just acquired
                    replace = true;
                } else {
                    state = State.TERMINATED;
                    terminated = true;
                    lock.notifyAll();
                }
            }
        }
        owner.releasePermit();
        if (terminated) {
            // Closed before the executor leaves its owner: NamespaceExecutors.close() waits for the
            // executors it still holds, so one it no longer holds must have let go of its namespace.
            handle.close();
            owner.retired(this);
        } else if (!replace && pending.get() > 0) {
            ensureWorker();
        }
        owner.dispatchPermits();
    }

    @Override
    public void shutdown() {
        boolean closeNow = false;
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            state = State.SHUTDOWN;
            if (workers == 0 && pending.get() == 0) {
                state = State.TERMINATED;
                closeNow = true;
                lock.notifyAll();
            }
            for (int i = 0; i < workers; i++) {
                queue.offer(NUDGE);
            }
        }
        if (closeNow) {
            handle.close();
            owner.retired(this);
        } else {
            ensureWorker(); // drain what is queued
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> drained = new ArrayList<>();
        queue.drainTo(drained);
        drained.removeIf(task -> task == NUDGE);
        pending.addAndGet(-drained.size());
        synchronized (lock) {
            threads.forEach(Thread::interrupt);
        }
        return drained;
    }

    @Override
    public boolean isShutdown() {
        return state != State.RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    /** Waits until terminated and every worker thread has ended (a worker waiting on its own executor skips itself). */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Thread> started;
        synchronized (lock) {
            while (state != State.TERMINATED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            started = new ArrayList<>(threads);
        }
        for (Thread thread : started) {
            if (thread != Thread.currentThread()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
                if (thread.isAlive()) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "PinnedExecutor[" + label + " " + id + ", " + state + "]";
    }
}
