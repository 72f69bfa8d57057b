package dev.netns;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One namespace's executor: its handle, its task queue and the workers serving it. It decides
 * nothing itself: {@link WorkerPool} does all the scheduling, under its one lock, which guards the
 * fields marked so here. Once retired (idle for the keep-alive, shut down, its named namespace
 * deleted, or its {@link NamespaceExecutors} closed) it rejects tasks, with
 * {@link RetiredExecutorException} when asking {@link NamespaceExecutors#executorFor} again gives
 * a new one.
 */
final class PinnedExecutor extends AbstractExecutorService {

    enum State { RUNNING, SHUTDOWN, TERMINATED }

    final WorkerPool pool;
    private final NsHandle handle;
    private final NamespaceId id;
    private volatile String label;

    // guarded by pool
    final ArrayDeque<PinnedTask<?>> queue = new ArrayDeque<>();
    final ArrayDeque<PinnedWorker> idle = new ArrayDeque<>();
    int workers;
    /** Workers written off as hung whose callback still runs here: the executor waits for them before it retires. */
    int hungWorkers;
    long lastActive = System.nanoTime();
    boolean retireScheduled;
    long retired;
    volatile State state = State.RUNNING;

    /** Workers inside a callback whose outcome is not published yet (they are not about to take a task). */
    final AtomicInteger inCallback = new AtomicInteger();
    final LongAdder completed = new LongAdder();
    private final CountDownLatch terminated = new CountDownLatch(1);

    PinnedExecutor(WorkerPool pool, NsHandle handle, String label) {
        this.pool = pool;
        this.handle = handle;
        this.id = Objects.requireNonNull(handle.id());
        this.label = label;
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

    /** Names the executor (metrics, threads entering from now on) after an alias it is reached through. */
    void relabel(String alias) {
        this.label = alias;
    }

    /** Whether it still takes tasks. */
    boolean accepting() {
        return state == State.RUNNING;
    }

    ExecutorInfo info() {
        return pool.info(this);
    }

    /** A task for this executor, not queued yet. */
    <T> PinnedTask<T> task(Callable<T> callable, Runnable onDone) {
        return new PinnedTask<>(this, callable, onDone);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new PinnedTask<>(this, runnable, value);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new PinnedTask<>(this, callable, null);
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        pool.submit(this, command instanceof PinnedTask<?> task && task.executor() == this
                ? task : (PinnedTask<?>) newTaskFor(command, null));
    }

    /** Called by the pool, with its lock held, once the executor has no worker and no task left. */
    void markTerminated() {
        state = State.TERMINATED;
        terminated.countDown();
    }

    /** Takes no more tasks; those queued still run. */
    @Override
    public void shutdown() {
        pool.shutdown(this);
    }

    /** Takes no more tasks, returns those queued, and interrupts running callbacks. */
    @Override
    public List<Runnable> shutdownNow() {
        return new ArrayList<>(pool.shutdownNow(this));
    }

    @Override
    public boolean isShutdown() {
        return state != State.RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    @Override
    public String toString() {
        return "PinnedExecutor[" + label + " " + id + ", " + state + "]";
    }
}
