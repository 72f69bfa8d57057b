package dev.netns.benchmarks;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.ExecutorSettings;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import java.util.concurrent.TimeUnit;
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

/**
 * One caller going round-robin over more namespaces than the thread cap allows threads (a node
 * agent's normal case): 100 and 1,000 namespaces with a cap of 64, 200 with a cap of 16, against
 * one namespace with a cap of 64. Past the cap each call finds its namespace without a thread and
 * an idle worker of another namespace moves over. Records the most pinned threads seen, which
 * must stay within the cap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoundRobinBenchmark {

    /** {@code NAMESPACES/CAP}. */
    @Param({"1/64", "100/64", "1000/64", "200/16"})
    public String shape;

    private String[] names;
    private NsHandle[] handles;
    private NamespaceExecutors executors;
    private NamespaceTemplate template;
    private int next;
    private int cap;
    private int peakPinned;

    @Setup(Level.Trial)
    public void setUp() {
        int namespaces = Integer.parseInt(shape.substring(0, shape.indexOf('/')));
        cap = Integer.parseInt(shape.substring(shape.indexOf('/') + 1));
        names = new String[namespaces];
        handles = new NsHandle[namespaces];
        for (int i = 0; i < namespaces; i++) {
            names[i] = BenchNames.next("rr");
            handles[i] = Netns.newNamed(names[i]);
        }
        executors = new NamespaceExecutors(ExecutorSettings.defaults().withMaxThreads(cap));
        template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        String key = "roundrobin." + shape.replace('/', '.');
        SideResults.record(key + ".pinned.peak", peakPinned);
        SideResults.record(key + ".pinned.cap", cap);
        executors.close();
        for (int i = 0; i < handles.length; i++) {
            handles[i].close();
            BenchNames.deleteQuietly(names[i]);
        }
    }

    @Benchmark
    @Threads(1)
    public Object execute() {
        int index = next;
        next = index + 1 == handles.length ? 0 : index + 1;
        Object result = template.execute(handles[index], HandOffBenchmark.NO_OP);
        int pinned = executors.threadCount();
        if (pinned > peakPinned) {
            peakPinned = pinned;
        }
        return result;
    }
}
