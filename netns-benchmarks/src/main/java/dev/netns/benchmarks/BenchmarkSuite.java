package dev.netns.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the suite the way {@code scripts/bench.sh} needs it: one fork per benchmark (hand-offs: five
 * on all vCPUs, three pinned), short iterations (the whole script stays under 10 minutes on 2 vCPUs),
 * groups in a fixed order (the namespace-churning ones last), and one line per result with its
 * median and each fork's median in {@code jmh-PASS.tsv}, which {@link BenchmarkReport} turns into
 * {@code docs/benchmarks.md}.
 *
 * <pre>java -cp netns-benchmarks.jar dev.netns.benchmarks.BenchmarkSuite RESULTS_DIR spread|one-cpu [quick]</pre>
 *
 * The {@code one-cpu} pass is meant to run under {@code taskset -c 0} (forks inherit the
 * affinity) and repeats only the hand-off benchmarks. {@code quick} shortens every iteration, for
 * trying the suite out.
 */
public final class BenchmarkSuite {

    static final String SPREAD = "spread";
    static final String ONE_CPU = "one-cpu";

    private BenchmarkSuite() {
    }

    /** A set of benchmarks run with the same iteration settings. */
    private record Group(String name, Class<?> benchmark, int forks, int warmups, int iterations, int seconds) {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length < 2 || !List.of(SPREAD, ONE_CPU).contains(args[1])) {
            System.err.println("usage: BenchmarkSuite RESULTS_DIR spread|one-cpu [quick]");
            System.exit(2);
        }
        Path results = Path.of(args[0]).toAbsolutePath();
        String pass = args[1];
        boolean quick = args.length > 2 && args[2].equals("quick");
        Files.createDirectories(results);

        List<Group> groups = new ArrayList<>();
        if (pass.equals(SPREAD)) {
            groups.add(new Group("handle", HandleBenchmark.class, 1, 3, 5, 1));
            // Each fork settles with caller and worker on one vCPU or on two, a placement that
            // changes the hand-off time several-fold: five forks show the mix, and each fork.
            groups.add(new Group("handoff", HandOffBenchmark.class, 5, 2, 3, 1));
        } else {
            groups.add(new Group("handoff", HandOffBenchmark.class, 3, 2, 3, 1)); // three: one noisy fork is outvoted
        }
        groups.add(new Group("process", ProcessBenchmark.class, 1, 2, 3, 1));
        if (pass.equals(SPREAD)) {
            groups.add(new Group("named", NamedBenchmark.class, 1, 2, 3, 1));
            groups.add(new Group("scaling", ScalingBenchmark.class, 1, 2, 3, 1));
            groups.add(new Group("roundrobin", RoundRobinBenchmark.class, 1, 2, 3, 1));
            groups.add(new Group("soak", SoakBenchmark.class, 1, 0, 1, 0));
            groups.add(new Group("thousand", ThousandNamedBenchmark.class, 1, 2, 5, 0));
        }

        Path tsv = results.resolve("jmh-" + pass + ".tsv");
        Files.write(tsv, List.of("benchmark\tparams\tthreads\tmode\tunit\tp50\tmean\tsamples\tfork_p50s"),
                StandardCharsets.UTF_8);
        for (Group group : groups) {
            Collection<RunResult> runs = new Runner(options(group, results, pass, quick)).run();
            List<String> lines = new ArrayList<>();
            for (RunResult run : runs) {
                lines.add(line(run));
            }
            Files.write(tsv, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    private static org.openjdk.jmh.runner.options.Options options(Group group, Path results, String pass, boolean quick) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(group.benchmark().getName() + "\\.")
                .forks(group.forks())
                .shouldFailOnError(true)
                .jvmArgsAppend(jvmArgs(results).toArray(String[]::new))
                .result(results.resolve("jmh-" + pass + "-" + group.name() + ".json").toString())
                .resultFormat(ResultFormatType.JSON)
                .warmupIterations(quick ? Math.min(1, group.warmups()) : group.warmups())
                .measurementIterations(quick ? 1 : group.iterations());
        if (group.seconds() > 0) { // time-based iterations; 0 means the benchmark is single-shot
            TimeValue time = quick ? TimeValue.milliseconds(200) : TimeValue.seconds(group.seconds());
            options.warmupTime(time).measurementTime(time);
        }
        return options.build();
    }

    private static List<String> jvmArgs(Path results) {
        List<String> args = new ArrayList<>();
        args.add("-Dnetns.bench.results=" + results);
        String prefix = System.getProperty("netns.bench.prefix");
        if (prefix != null) {
            args.add("-Dnetns.bench.prefix=" + prefix);
        }
        if (Runtime.version().feature() >= 24) { // JNA loads a native library
            args.add("--enable-native-access=ALL-UNNAMED");
        }
        return args;
    }

    private static String line(RunResult run) {
        BenchmarkParams params = run.getParams();
        String benchmark = params.getBenchmark();
        String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        List<String> values = new ArrayList<>();
        for (String key : params.getParamsKeys()) {
            values.add(key + "=" + params.getParam(key));
        }
        Result<?> primary = run.getPrimaryResult();
        Statistics statistics = primary.getStatistics();
        List<String> forkMedians = new ArrayList<>();
        for (BenchmarkResult fork : run.getBenchmarkResults()) {
            forkMedians.add(format(fork.getPrimaryResult().getStatistics().getPercentile(50.0)));
        }
        return String.join("\t", shortName, values.isEmpty() ? "-" : String.join(",", values),
                String.valueOf(params.getThreads()), params.getMode().shortLabel(), primary.getScoreUnit(),
                format(statistics.getPercentile(50.0)), format(statistics.getMean()), String.valueOf(statistics.getN()),
                String.join(",", forkMedians));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
