package dev.netns.benchmarks;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * {@code execute} with 1, 2 and 8 caller threads spread round-robin over 1, 10 and 100 namespaces,
 * on default {@link NamespaceExecutors} settings. Records the most pinned threads seen
 * ({@link NamespaceExecutors#threadCount()}), which must stay within the global cap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScalingBenchmark {

    private static final AtomicInteger PEAK_PINNED = new AtomicInteger();

    @Param({"1", "10", "100"})
    public int namespaces;

    private String[] names;
    private NsHandle[] handles;
    private NamespaceExecutors executors;
    private NamespaceTemplate template;

    /** A caller's place in the round robin and the most pinned threads it saw. */
    @State(Scope.Thread)
    public static class Caller {
        int next;
        int peakPinned;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            next = thread.getThreadIndex();
        }

        @TearDown(Level.Iteration)
        public void publish() {
            PEAK_PINNED.accumulateAndGet(peakPinned, Math::max);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        names = new String[namespaces];
        handles = new NsHandle[namespaces];
        for (int i = 0; i < namespaces; i++) {
            names[i] = BenchNames.next("scale");
            handles[i] = Netns.newNamed(names[i]);
        }
        executors = new NamespaceExecutors();
        template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        String key = "scaling.callers=" + params.getThreads() + ".namespaces=" + namespaces;
        SideResults.record(key + ".pinned.peak", PEAK_PINNED.get());
        SideResults.record(key + ".pinned.cap", executors.settings().maxThreads());
        SideResults.record(key + ".threads.end", ProcSelf.threads());
        executors.close();
        for (int i = 0; i < namespaces; i++) {
            handles[i].close();
            BenchNames.deleteQuietly(names[i]);
        }
    }

    @Benchmark
    @Threads(1)
    public Object callers1(Caller caller) {
        return execute(caller);
    }

    @Benchmark
    @Threads(2)
    public Object callers2(Caller caller) {
        return execute(caller);
    }

    @Benchmark
    @Threads(8)
    public Object callers8(Caller caller) {
        return execute(caller);
    }

    private Object execute(Caller caller) {
        int index = caller.next % namespaces;
        caller.next = index + 1;
        Object result = template.execute(handles[index], HandOffBenchmark.NO_OP);
        int pinned = executors.threadCount();
        if (pinned > caller.peakPinned) {
            caller.peakPinned = pinned;
        }
        return result;
    }
}
