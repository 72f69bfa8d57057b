package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Figures;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs and an {@code ip netns add/del} loop create and delete the same 20 names at once.
 * Meanwhile the test samples {@code /proc/self/mountinfo}: no name may ever carry two mounts.
 * Afterwards no name may be a stale file or an orphan mount, every exception the JVMs saw must be
 * a true typed one ({@link NamespaceExistsException} with EEXIST from a create,
 * {@link NamespaceNotFoundException} with ENOENT from a delete), and deleting what is left leaves
 * nothing behind.
 *
 * <p>The race runs for {@code -Dnetns.test.race.seconds} (default 10: about a thousand creates
 * and as many deletes per JVM on a 2-vCPU VM, which has always been enough to hit the create/delete
 * windows; the full 60 s run is {@code -Dnetns.test.race.seconds=60}).
 */
@RequiresPrivileges
class NamedNamespaceRaceTest {

    private static final Path RUN_DIR = Path.of("/run/netns");
    private static final Pattern OUTCOME = Pattern.compile("(\\w+)=(\\d+)");

    @Test
    void twoJvmsAndIpNetnsRacingOnTwentyNamesNeverStackMountsAndLeaveNothingBehind() throws Exception {
        long seconds = Long.getLong("netns.test.race.seconds", 10);
        String prefix = "nt-race-" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "-";
        List<String> names = IntStream.range(0, 20).mapToObj(i -> prefix + i).toList();
        Netns.newNamed(names.get(0)).close(); // the run dir exists and is a shared mount before ip starts
        Netns.deleteNamed(names.get(0));

        List<Process> jvms = new ArrayList<>();
        Process ip = null;
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger samples = new AtomicInteger();
        AtomicInteger mostMountsOnOneName = new AtomicInteger();
        Thread sampler = new Thread(() -> sampleMounts(prefix, sampling, samples, mostMountsOnOneName), "nt-mount-sampler");
        try {
            for (int jvm = 0; jvm < 2; jvm++) {
                jvms.add(new ProcessBuilder(ChildJvm.command(ChildJvm.classpath(), List.of(),
                        NamedNamespaceRaceProbe.class.getName(), Long.toString(seconds), String.join(",", names),
                        Long.toString(System.nanoTime() + jvm))).redirectErrorStream(true).start());
            }
            ip = new ProcessBuilder("sh", "-c", "end=$(( $(date +%s) + $0 )); adds=0; dels=0;"
                    + " while [ $(date +%s) -lt $end ]; do for n in $1; do"
                    + " ip netns add $n 2>/dev/null && adds=$((adds+1)); ip netns del $n 2>/dev/null && dels=$((dels+1));"
                    + " done; done; echo \"ip adds=$adds dels=$dels\"", Long.toString(seconds), String.join(" ", names))
                    .redirectErrorStream(true).start();
            sampler.start();
            List<String> outputs = new ArrayList<>();
            for (Process jvm : jvms) {
                assertThat(jvm.waitFor(seconds + 120, TimeUnit.SECONDS)).as("a racing JVM ended").isTrue();
                outputs.add(new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            assertThat(ip.waitFor(seconds + 120, TimeUnit.SECONDS)).as("the ip loop ended").isTrue();
            String ipOutput = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            sampling.set(false);
            sampler.join();

            Map<String, Integer> outcomes = new HashMap<>();
            for (String output : outputs) {
                assertThat(output).as("a racing JVM's output").contains("race ");
                output.lines().filter(line -> line.startsWith("race ")).forEach(line -> add(line, outcomes));
            }
            add(ipOutput.lines().filter(line -> line.startsWith("ip ")).findFirst().orElse(""), outcomes);
            int stale = 0;
            for (String name : names) {
                Path file = RUN_DIR.resolve(name);
                if (Files.exists(file) && Files.isRegularFile(file) && mountsOn(file) == 0) {
                    stale++;
                }
            }
            int leftBeforeCleanUp = 0;
            for (String name : names) {
                if (Files.exists(RUN_DIR.resolve(name))) {
                    leftBeforeCleanUp++;
                    Netns.deleteNamed(name);
                }
            }
            long leftovers = names.stream().filter(name -> Files.exists(RUN_DIR.resolve(name))).count()
                    + mountLines(prefix).size();
            Figures.print("race named-create-delete", "seconds", seconds, "jvms", 2, "names", names.size(),
                    "created", outcomes.getOrDefault("created", 0), "exists-EEXIST", outcomes.getOrDefault("exists", 0),
                    "deleted", outcomes.getOrDefault("deleted", 0), "missing-ENOENT", outcomes.getOrDefault("missing", 0),
                    "ip-adds", outcomes.getOrDefault("adds", 0), "ip-dels", outcomes.getOrDefault("dels", 0),
                    "unexpected", outcomes.getOrDefault("unexpected", 0), "mountinfo-samples", samples.get(),
                    "most-mounts-on-one-name", mostMountsOnOneName.get(), "stale-files", stale,
                    "names-left-at-end", leftBeforeCleanUp, "leftovers", leftovers);

            assertThat(outcomes.getOrDefault("unexpected", 0)).as(String.join("\n", outputs)).isZero();
            assertThat(outcomes.getOrDefault("created", 0)).as("creates that won").isPositive();
            assertThat(outcomes.getOrDefault("deleted", 0)).as("deletes that won").isPositive();
            assertThat(samples.get()).as("mountinfo samples").isPositive();
            assertThat(mostMountsOnOneName.get()).as("the most mounts seen on one name at once").isLessThanOrEqualTo(1);
            assertThat(stale).as("stale files").isZero();
            assertThat(leftovers).as("names or mounts left after deleting what was left").isZero();
        } finally {
            sampling.set(false);
            for (Process jvm : jvms) {
                jvm.destroyForcibly().waitFor();
            }
            if (ip != null) {
                ip.destroyForcibly().waitFor();
            }
            for (String name : names) {
                if (Files.exists(RUN_DIR.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    new ProcessBuilder("ip", "netns", "del", name).start().waitFor();
                }
            }
        }
    }

    private static void add(String line, Map<String, Integer> outcomes) {
        Matcher matcher = OUTCOME.matcher(line);
        while (matcher.find()) {
            outcomes.merge(matcher.group(1), Integer.parseInt(matcher.group(2)), Integer::sum);
        }
    }

    /**
     * Samples the mounts on the names until told to stop. mountinfo is longer than one page here,
     * and the kernel hands it out one page per {@code read}, so one read of it can join two moments
     * (a name's old mount from the first page, its new one from the second). A name counts as
     * carrying two mounts only when two reads in a row show the same two or more mount ids on it.
     */
    private static void sampleMounts(String prefix, AtomicBoolean sampling, AtomicInteger samples, AtomicInteger most) {
        while (sampling.get()) {
            Map<String, java.util.Set<String>> first = mountIdsPerName(prefix);
            Map<String, java.util.Set<String>> second = mountIdsPerName(prefix);
            int max = 0;
            for (Map.Entry<String, java.util.Set<String>> name : first.entrySet()) {
                int mounts = name.getValue().size();
                if (mounts > 1 && name.getValue().equals(second.get(name.getKey()))) {
                    max = Math.max(max, mounts);
                    System.out.println("nt-stacked " + name.getKey() + " " + name.getValue());
                } else {
                    max = Math.max(max, Math.min(mounts, 1));
                }
            }
            most.accumulateAndGet(max, Math::max);
            samples.incrementAndGet();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Map<String, java.util.Set<String>> mountIdsPerName(String prefix) {
        Map<String, java.util.Set<String>> idsPerName = new HashMap<>();
        for (String line : mountLines(prefix)) {
            String[] fields = line.split(" ");
            idsPerName.computeIfAbsent(fields[4], point -> new java.util.TreeSet<>()).add(fields[0]);
        }
        return idsPerName;
    }

    private static List<String> mountLines(String prefix) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(line -> line.split(" ")[4].startsWith(RUN_DIR + "/" + prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long mountsOn(Path file) {
        return mountLines(file.getFileName().toString().substring(0, 0)).stream()
                .filter(line -> line.split(" ")[4].equals(file.toString())).count();
    }
}
