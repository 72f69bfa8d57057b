package dev.netns.benchmarks;

import dev.netns.Netns;
import dev.netns.NamespaceNotFoundException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names for the namespaces the benchmarks create: {@code PREFIX-PID-KIND-N}, where the prefix
 * (system property {@code netns.bench.prefix}, set by the script per run) starts with {@code nt-},
 * so the script can remove what a killed run left behind, and the pid keeps forks apart.
 */
final class BenchNames {

    private static final String PREFIX = System.getProperty("netns.bench.prefix", "nt-bench")
            + "-" + ProcessHandle.current().pid();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private BenchNames() {
    }

    static String next(String kind) {
        return PREFIX + "-" + kind + "-" + COUNTER.incrementAndGet();
    }

    /** Deletes a named namespace if it exists; for tear-downs, which must not stop at the first failure. */
    static void deleteQuietly(String name) {
        try {
            Netns.deleteNamed(name);
        } catch (NamespaceNotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            System.err.println("Could not delete benchmark namespace " + name + ": " + e);
        }
    }
}
