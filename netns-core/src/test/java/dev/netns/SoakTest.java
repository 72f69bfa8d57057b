package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.internal.Syscalls;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A soak: many template calls over many namespaces from many callers. Zero misrouted tasks, and
 * fds, threads and heap back to their baselines afterwards. {@code -Dnetns.test.soak.calls=N}
 * makes it longer (default 10^6, about two minutes here).
 */
@RequiresPrivileges
class SoakTest {

    private static final long CALLS = Long.getLong("netns.test.soak.calls", 1_000_000L);
    private static final int NAMESPACES = 50;
    private static final int CALLERS = 16;

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void aMillionCallsOverFiftyNamespacesFromSixteenCallersAreAllRoutedRightAndLeaveNothingBehind() throws Exception {
        List<String> names = new ArrayList<>();
        List<NamespaceId> ids = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            String name = namespaces.newName();
            try (NsHandle ns = Netns.newNamed(name)) {
                names.add(name);
                ids.add(ns.id());
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long fdsBefore = Fds.count();
        // Java threads: the JVM adds compiler and GC threads of its own under load, which are not ours to count.
        java.lang.management.ThreadMXBean jvmThreads = ManagementFactory.getThreadMXBean();
        int threadsBefore = jvmThreads.getThreadCount();

        AtomicLong done = new AtomicLong();
        AtomicLong misrouted = new AtomicLong();
        long started = System.nanoTime();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int c = 0; c < CALLERS; c++) {
                    int caller = c;
                    futures.add(callers.submit(() -> {
                        for (long call = caller; call < CALLS; call += CALLERS) {
                            int index = (int) ((call * 31 + caller) % NAMESPACES);
                            NamespaceId seen = template.execute(names.get(index), ns -> Syscalls.idOf("/proc/thread-self/ns/net", null));
                            if (!seen.equals(ids.get(index))) {
                                misrouted.incrementAndGet();
                            }
                            done.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get(30, TimeUnit.MINUTES);
                }
            } finally {
                callers.shutdown();
                assertThat(callers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
            }
            assertThat(executors.threadCount()).isLessThanOrEqualTo(executors.settings().maxThreads());
            assertThat(Netns.threads()).filteredOn(ThreadNamespace::stray).isEmpty();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        await().pollInSameThread().atMost(Duration.ofSeconds(30)).untilAsserted(() -> { // no poller thread of its own
            assertThat(Fds.count()).as("open fds").isLessThanOrEqualTo(fdsBefore);
            assertThat(jvmThreads.getThreadCount()).as("Java threads").isLessThanOrEqualTo(threadsBefore);
            assertThat(Netns.threads()).as("OS threads in the soaked namespaces").noneMatch(t -> ids.contains(t.netns()));
        });
        long heapAfter = heapAfterGc(memory);
        System.out.printf("netns-figures: soak %,d calls over %d namespaces from %d callers in %.1f s (%,.0f calls/s),"
                + " %d misrouted; fds %d -> %d, threads %d -> %d, heap %,d KiB -> %,d KiB%n", done.get(), NAMESPACES, CALLERS,
                seconds, done.get() / seconds, misrouted.get(), fdsBefore, Fds.count(), threadsBefore, jvmThreads.getThreadCount(),
                heapBefore / 1024, heapAfter / 1024);
        assertThat(done.get()).isEqualTo(CALLS);
        assertThat(misrouted.get()).isZero();
        assertThat(heapAfter).as("heap after a GC").isLessThanOrEqualTo(heapBefore + 16L * 1024 * 1024);
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
