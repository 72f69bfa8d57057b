package dev.netns.benchmarks;

import dev.netns.Netns;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One named namespace created (like {@code ip netns add}) and deleted, compared with the C program
 * doing the same syscalls; and what a thread started per namespace would cost by itself (the library
 * unshares on a long-lived creator thread instead).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NamedBenchmark {

    private static final Runnable NOTHING = () -> { };

    @Benchmark
    public void createDelete() {
        String name = BenchNames.next("named");
        Netns.newNamed(name).close();
        Netns.deleteNamed(name);
    }

    /** A platform thread started and joined, doing nothing: what a thread per namespace would cost. */
    @Benchmark
    public void threadStartJoin() throws InterruptedException {
        Thread thread = new Thread(NOTHING, "nt-bench-nothing");
        thread.setDaemon(true);
        thread.start();
        thread.join();
    }
}
