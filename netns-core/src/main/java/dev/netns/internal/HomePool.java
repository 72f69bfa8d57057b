package dev.netns.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cached pool of home threads: grows by one thread (started by the launcher) when a task
 * comes and no thread is idle, and a thread ends after its keep-alive idle.
 */
final class HomePool implements Executor {

    private static final Logger log = LoggerFactory.getLogger(HomePool.class);

    private final String prefix;
    private final long keepAliveSeconds;
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger numbers = new AtomicInteger();
    private final AtomicInteger starting = new AtomicInteger();

    HomePool(String prefix, long keepAliveSeconds) {
        this.prefix = prefix;
        this.keepAliveSeconds = keepAliveSeconds;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (idle.get() == 0 && starting.get() == 0) {
            addThread();
        }
    }

    /** One more thread; a thread that takes a task while others wait and none is idle adds the next. */
    private void addThread() {
        starting.incrementAndGet();
        HomeThreads.startLater(prefix + "-" + numbers.incrementAndGet(), this::work, starting::decrementAndGet);
    }

    private void work() {
        starting.decrementAndGet();
        while (true) {
            idle.incrementAndGet();
            Runnable task;
            try {
                task = tasks.poll(keepAliveSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                task = null;
            } finally {
                idle.decrementAndGet();
            }
            if (task == null) {
                // A task offered while this thread still counted as idle started no thread:
                // it is in the queue by now, so look once more before ending.
                if (tasks.isEmpty()) {
                    return;
                }
                continue;
            }
            if (idle.get() == 0 && starting.get() == 0 && !tasks.isEmpty()) {
                addThread(); // this task may block: the next one must not wait for it
            }
            try {
                task.run();
            } catch (Throwable e) {
                log.warn("A netns completion task failed", e);
            }
            Thread.interrupted();
        }
    }
}
