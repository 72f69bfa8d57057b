package dev.netns.benchmarks;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.NamespaceCallback;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.internal.Syscalls;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A no-op through {@code NamespaceTemplate.execute}, by handle and by name, next to the hand-off
 * floor: a submit-and-get round trip to a plain single-thread {@code ExecutorService}. Both cross
 * the same thread boundary, so their ratio is what the template adds. A third executor is the plain
 * one plus what a pinned worker does after every task (a {@code statx} of its own namespace), to
 * tell the cost of that check from the rest of the template.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandOffBenchmark {

    static final NamespaceCallback<Object> NO_OP = ns -> null;
    static final Callable<Object> PLAIN_NO_OP = () -> null;

    private String name;
    private String reference;
    private NsHandle handle;
    private NamespaceExecutors executors;
    private NamespaceTemplate template;
    private ExecutorService plain;
    private ExecutorService plainChecked;

    @Setup(Level.Trial)
    public void setUp() {
        name = BenchNames.next("handoff");
        reference = "name:" + name;
        handle = Netns.newNamed(name);
        executors = new NamespaceExecutors();
        template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
        plain = Executors.newSingleThreadExecutor();
        plainChecked = new CheckingExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        plain.shutdown();
        plain.awaitTermination(10, TimeUnit.SECONDS);
        plainChecked.shutdown();
        plainChecked.awaitTermination(10, TimeUnit.SECONDS);
        executors.close();
        handle.close();
        BenchNames.deleteQuietly(name);
    }

    @Benchmark
    public Object plainSubmitGet() throws InterruptedException, ExecutionException {
        return plain.submit(PLAIN_NO_OP).get();
    }

    @Benchmark
    public Object plainCheckedSubmitGet() throws InterruptedException, ExecutionException {
        return plainChecked.submit(PLAIN_NO_OP).get();
    }

    @Benchmark
    public Object executeHandle() {
        return template.execute(handle, NO_OP);
    }

    @Benchmark
    public Object executeName() {
        return template.execute(reference, NO_OP);
    }

    /**
     * A single-thread executor whose worker, after every task, stats {@code net} in its own
     * {@code /proc/thread-self/ns} directory, as a pinned worker checks it is still in its namespace.
     */
    static final class CheckingExecutor extends ThreadPoolExecutor {

        private static final byte[] NET = {'n', 'e', 't', 0};

        private int nsDir = -1; // opened and used by the one worker thread only

        CheckingExecutor() {
            super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            if (nsDir < 0) {
                nsDir = Syscalls.open("/proc/thread-self/ns", Syscalls.O_PATH | Syscalls.O_DIRECTORY, 0, null);
            }
            Syscalls.idOfOrNull(nsDir, NET);
        }

        @Override
        protected void terminated() {
            if (nsDir >= 0) {
                Syscalls.closeQuietly(nsDir);
            }
        }
    }
}
