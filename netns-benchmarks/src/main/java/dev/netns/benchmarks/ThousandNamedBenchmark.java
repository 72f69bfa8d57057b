package dev.netns.benchmarks;

import dev.netns.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>Before each iteration, the C floor's own round of the same work runs ({@code nsbench ...
 * thousand}, from the results directory where {@code scripts/bench.sh} compiled it), so that C
 * and Java take turns on the same run dir and filesystem: on ext4 a create costs more the more
 * files were deleted shortly before (inodes freed while their table block is not yet written back
 * are skipped one by one), so a floor measured at another moment of the run compares unlike with
 * unlike. Each C round's seconds go to the side results as {@code thousand.c.N}.
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

    private int iteration;

    @Setup(Level.Iteration)
    public void setUp() throws IOException, InterruptedException {
        runCFloor();
        baselineFds = ProcSelf.openFds();
        baselineThreads = ProcSelf.threads();
    }

    /** One round of the C floor, if the script compiled it; its seconds are recorded as {@code thousand.c.N}. */
    private void runCFloor() throws IOException, InterruptedException {
        String results = System.getProperty("netns.bench.results");
        Path nsbench = results == null ? null : Path.of(results, "nsbench");
        if (nsbench == null || !Files.isExecutable(nsbench)) {
            return;
        }
        Process process = new ProcessBuilder(nsbench.toString(), Netns.runDirectory().toString(), BenchNames.next("c"), "thousand")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("nsbench failed: " + output);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("thousand_named_s ")) {
                SideResults.record("thousand.c." + ++iteration, line.substring("thousand_named_s ".length()).strip());
            }
        }
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
