package dev.netns.benchmarks;

import dev.netns.NamespaceTemplate;
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

/**
 * A process in a namespace, start to exit: what people do without this library,
 * {@code ip netns exec NAME true} from Java, against {@link NamespaceTemplate#start}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProcessBenchmark {

    private String name;
    private NamespaceTemplate template;

    @Setup(Level.Trial)
    public void setUp() {
        name = BenchNames.next("process");
        Netns.newNamed(name).close();
        template = new NamespaceTemplate();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        template.executors().close();
        BenchNames.deleteQuietly(name);
    }

    @Benchmark
    public int ipNetnsExec() throws IOException, InterruptedException {
        return finish(new ProcessBuilder("ip", "netns", "exec", name, "true").start(), "ip netns exec " + name + " true");
    }

    @Benchmark
    public int templateStart() throws IOException, InterruptedException {
        return finish(template.start(name, new ProcessBuilder("true")), "start(" + name + ", true)");
    }

    private static int finish(Process process, String what) throws IOException, InterruptedException {
        int status = process.waitFor();
        process.getOutputStream().close();
        process.getInputStream().close();
        process.getErrorStream().close();
        if (status != 0) {
            throw new IllegalStateException(what + " exited with " + status);
        }
        return status;
    }
}
