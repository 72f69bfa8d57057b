package dev.netns.benchmarks;

import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.internal.ThreadNamespaces;
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
 * The calling-thread facade: a {@code Netns.set} pair (into a target and back, compared with the C
 * {@code setns} pair) and opening and closing handles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandleBenchmark {

    private String name;
    private NsHandle origin;
    private NsHandle target;
    private ThreadNamespaces place;

    @Setup(Level.Trial)
    public void setUp() {
        name = BenchNames.next("handle");
        target = Netns.newNamed(name);
        origin = Netns.get();
        place = ThreadNamespaces.ofCallingThread(origin.id());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        place.close();
        origin.close();
        target.close();
        BenchNames.deleteQuietly(name);
    }

    /** Into the target and back on the calling thread: the Java side of the C setns pair. */
    @Benchmark
    public void setPair() {
        Netns.set(target);
        Netns.set(origin);
    }

    /**
     * What a pinned worker does after every task: one {@code statx} per namespace kind a thread
     * can move in (seven), through its open {@code /proc/thread-self/ns} directory.
     */
    @Benchmark
    public boolean afterTaskCheck() {
        return place.inPlace();
    }

    @Benchmark
    public void getClose() {
        Netns.get().close();
    }

    @Benchmark
    public void fromNameClose() {
        Netns.fromName(name).close();
    }
}
