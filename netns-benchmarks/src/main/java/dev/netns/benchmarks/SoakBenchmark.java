package dev.netns.benchmarks;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceId;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.internal.Syscalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The soak: 10^6 calls by name from 16 callers over 50 namespaces, each callback reporting the
 * namespace it ran in. Records the misrouted calls (must be 0) and the fds, threads and heap in use
 * before and after (with the executors closed and a GC), which must be back to the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SoakBenchmark {

    static final int CALLS = 1_000_000;
    static final int NAMESPACES = 50;
    static final int CALLERS = 16;

    @Benchmark
    public long soak() throws Exception {
        String[] names = new String[NAMESPACES];
        NamespaceId[] ids = new NamespaceId[NAMESPACES];
        for (int i = 0; i < NAMESPACES; i++) {
            names[i] = BenchNames.next("soak");
            try (NsHandle ns = Netns.newNamed(names[i])) {
                ids[i] = ns.id();
            }
        }
        ThreadPoolExecutor callers = (ThreadPoolExecutor) Executors.newFixedThreadPool(CALLERS);
        callers.prestartAllCoreThreads(); // counted in the baseline
        try {
            settle();
            int fdsBefore = ProcSelf.openFds();
            int threadsBefore = ProcSelf.threads();
            long heapBefore = usedHeap();
            NamespaceExecutors executors = new NamespaceExecutors();
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            AtomicLong misrouted = new AtomicLong();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                done.add(callers.submit(() -> {
                    for (int call = caller; call < CALLS; call += CALLERS) {
                        int index = call % NAMESPACES;
                        NamespaceId seen = template.execute(names[index],
                                ns -> Syscalls.idOf("/proc/thread-self/ns/net", null));
                        if (!seen.equals(ids[index])) {
                            misrouted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            int peakThreads = ProcSelf.threads();
            int peakPinned = executors.threadCount();
            executors.close();
            settle();
            SideResults.record("soak.calls", CALLS);
            SideResults.record("soak.misrouted", misrouted.get());
            SideResults.record("soak.pinned.end", peakPinned);
            SideResults.record("soak.threads.peak", peakThreads);
            SideResults.record("soak.fds.before", fdsBefore);
            SideResults.record("soak.fds.after", ProcSelf.openFds());
            SideResults.record("soak.threads.before", threadsBefore);
            SideResults.record("soak.threads.after", ProcSelf.threads());
            SideResults.record("soak.heap.before.kib", heapBefore / 1024);
            SideResults.record("soak.heap.after.kib", usedHeap() / 1024);
            return misrouted.get();
        } finally {
            callers.shutdown();
            for (String name : names) {
                BenchNames.deleteQuietly(name);
            }
        }
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
