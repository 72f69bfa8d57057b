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
import org.openjdk.jmh.annotations.TearDown;

/**
 * 1,000 named namespaces created, then all deleted: the total time, and the fds and threads this
 * JVM holds at the peak (all 1,000 exist, every handle closed), which must not grow with the count.
 *
 * <p>Before each iteration, the C floor's own round of the same work runs ({@link CFloorTurns}); each
 * round's seconds go to the side results as {@code thousand.c.N}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ThousandNamedBenchmark {

    static final int COUNT = 1000;

    private int baselineFds;
    private int baselineThreads;
    private int peakFds;
    private int peakThreads;

    private final CFloorTurns cFloor = new CFloorTurns("thousand", Map.of("thousand_named_s", "thousand"));

    @Setup(Level.Iteration)
    public void setUp() throws IOException, InterruptedException {
        cFloor.run();
        baselineFds = ProcSelf.openFds();
        baselineThreads = ProcSelf.threads();
    }

    @Benchmark
    public void createThenDelete() {
        String[] names = new String[COUNT];
        int created = 0;
        try {
            for (; created < COUNT; created++) {
                names[created] = BenchNames.next("many");
                Netns.newNamed(names[created]).close();
            }
            peakFds = Math.max(peakFds, ProcSelf.openFds());
            peakThreads = Math.max(peakThreads, ProcSelf.threads());
        } finally {
            for (int i = 0; i < created; i++) {
                Netns.deleteNamed(names[i]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SideResults.record("thousand.fds.baseline", baselineFds);
        SideResults.record("thousand.fds.peak", peakFds);
        SideResults.record("thousand.threads.baseline", baselineThreads);
        SideResults.record("thousand.threads.peak", peakThreads);
    }
}
