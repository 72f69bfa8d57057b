package dev.netns.benchmarks;

import dev.netns.Netns;
import java.io.IOException;
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

/** What people do without this library: {@code ip netns exec NAME true} from Java, start to exit. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProcessBenchmark {

    private String name;

    @Setup(Level.Trial)
    public void setUp() {
        name = BenchNames.next("process");
        Netns.newNamed(name).close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchNames.deleteQuietly(name);
    }

    @Benchmark
    public int ipNetnsExec() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ip", "netns", "exec", name, "true").start();
        int status = process.waitFor();
        process.getOutputStream().close();
        process.getInputStream().close();
        process.getErrorStream().close();
        if (status != 0) {
            throw new IllegalStateException("ip netns exec " + name + " true exited with " + status);
        }
        return status;
    }
}
