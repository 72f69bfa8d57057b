package dev.netns.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Figures a benchmark observes besides its time (peak fds, threads, pinned workers), appended as
 * {@code key<TAB>value} lines to {@code side.tsv} in the directory named by the system property
 * {@code netns.bench.results}; printed when it is not set (a run of the jar by hand).
 */
final class SideResults {

    static final String FILE = "side.tsv";

    private SideResults() {
    }

    static synchronized void record(String key, Object value) {
        String line = key + "\t" + value;
        String dir = System.getProperty("netns.bench.results");
        if (dir == null) {
            System.out.println("# " + line);
            return;
        }
        try {
            Files.write(Path.of(dir, FILE), List.of(line), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
