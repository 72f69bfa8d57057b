package dev.netns.benchmarks;

import dev.netns.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a C floor ({@code nsbench RUN_DIR PREFIX MODE}, compiled by {@code scripts/bench.sh} into the
 * results directory) right before a Java iteration, so that C and Java take turns on the same run
 * dir: on ext4 a create costs more the more files were deleted shortly before (inodes freed while
 * their table block is not yet written back are skipped one by one), so a floor measured at
 * another moment of the run compares unlike with unlike. Each turn's figures go to the side
 * results as {@code KEY.c.N}. Does nothing where the program is not there (a run of the jar by hand).
 */
final class CFloorTurns {

    private final String mode;
    private final Map<String, String> keys;
    private int turn;

    /**
     * @param mode {@code named} or {@code thousand}
     * @param keys which of the program's output keys to record, and under which side-result key
     */
    CFloorTurns(String mode, Map<String, String> keys) {
        this.mode = mode;
        this.keys = keys;
    }

    void run() throws IOException, InterruptedException {
        String results = System.getProperty("netns.bench.results");
        Path nsbench = results == null ? null : Path.of(results, "nsbench");
        if (nsbench == null || !Files.isExecutable(nsbench)) {
            return;
        }
        Process process = new ProcessBuilder(nsbench.toString(), Netns.runDirectory().toString(), BenchNames.next("c"), mode)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("nsbench " + mode + " failed: " + output);
        }
        turn++;
        for (String line : output.split("\n")) {
            String[] keyValue = line.strip().split(" ", 2);
            String side = keys.get(keyValue[0]);
            if (side != null && keyValue.length == 2) {
                SideResults.record(side + ".c." + turn, keyValue[1].strip());
            }
        }
    }
}
