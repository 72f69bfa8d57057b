package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.Fds;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TempRunDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A runtime closed while other threads create, open, delete and watch through it: every call either
 * does its whole work or is refused with the runtime's IllegalStateException, no watch thread
 * survives the close, nothing is half-created in the run dir, and no fd is left open.
 */
@RequiresPrivileges
class NetnsRuntimeCloseAttackTest {

    private static final int THREADS = 4;

    @RegisterExtension
    final TempRunDirs runDirs = new TempRunDirs();

    @Test
    void closeUnderLoadRefusesCleanlyAndLeavesNothingHalfDone() throws Exception {
        Path dir = runDirs.create();
        String prefix = "nt-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> fdsBefore = Fds.targets();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        NetnsRuntime runtime = NetnsRuntime.builder().runDirectory(dir).build();
        Set<String> created = ConcurrentHashMap.newKeySet();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(THREADS);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int worker = t;
            Thread thread = new Thread(() -> {
                running.countDown();
                for (int i = 0; ; i++) {
                    String name = prefix + worker + "-" + i;
                    try {
                        try (AutoCloseable watch = runtime.watchNamed(event -> { })) {
                            try (NsHandle handle = runtime.newNamed(name)) {
                                created.add(name);
                                runtime.fromName(name).close();
                                runtime.listNamed();
                            }
                            runtime.deleteNamed(name);
                            deleted.add(name);
                        }
                        done.incrementAndGet();
                    } catch (IllegalStateException e) {
                        if (e.getMessage() != null && e.getMessage().contains("is closed") && e.getMessage().contains(dir.toString())) {
                            refused.incrementAndGet();
                            return;
                        }
                        unexpected.add(e);
                        return;
                    } catch (Throwable e) {
                        unexpected.add(e);
                        return;
                    }
                }
            }, "nt-close-attack-" + worker);
            thread.start();
            workers.add(thread);
        }
        running.await();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= THREADS * 3);

        runtime.close();

        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(worker.isAlive()).isFalse();
        }
        assertThat(unexpected).as("failures other than the refusal").isEmpty();
        assertThat(refused.get()).as("threads refused by the close").isEqualTo(THREADS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(thread -> !threadsBefore.contains(thread) && thread.getName().startsWith("netns-watch-"))
                .as("watch threads after the close").isEmpty());
        List<String> left;
        try (NetnsRuntime cleanup = NetnsRuntime.builder().runDirectory(dir).build()) {
            left = cleanup.listNamed();
            Set<String> createdNotDeleted = new java.util.HashSet<>(created);
            createdNotDeleted.removeAll(deleted);
            assertThat(left).as("names in the run dir: only those created and not yet deleted when refused")
                    .allMatch(createdNotDeleted::contains);
            for (String name : left) {
                cleanup.deleteNamed(name);
            }
        }
        assertThat(runtime.openHandles()).as("handles of the closed runtime left open").isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Fds.addedSince(fdsBefore)).as("fds left open").isEmpty());
    }
}
