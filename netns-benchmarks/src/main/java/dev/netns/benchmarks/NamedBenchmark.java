package dev.netns.benchmarks;

import dev.netns.Netns;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One named namespace created (like {@code ip netns add}) and deleted, compared with the C program
 * doing the same syscalls; and what a thread started per namespace would cost by itself (the library
 * unshares on a long-lived creator thread instead). Before each iteration of {@link #createDelete},
 * the C floors of the same work run ({@link CFloorTurns}), recorded as {@code named.c.N},
 * {@code named_thread.c.N} and {@code named_creator.c.N} (the last is this library's design in C: the
 * unshare handed to a long-lived creator thread and back).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NamedBenchmark {

    private static final Runnable NOTHING = () -> { };

    private final CFloorTurns cFloor = new CFloorTurns("named",
            Map.of("named_create_delete", "named", "named_thread_create_delete", "named_thread",
                    "named_creator_create_delete", "named_creator"));

    @Setup(Level.Iteration)
    public void setUp(BenchmarkParams params) throws IOException, InterruptedException {
        if (params.getBenchmark().endsWith(".createDelete")) {
            cFloor.run();
        }
    }

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
