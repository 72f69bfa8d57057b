package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TempRunDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two runtimes with their own run dirs, each used by several threads at once through its own
 * template: while they work, neither sees the other's names, handles or executors' handles, and
 * afterwards each run dir holds nothing and each runtime no handle.
 */
@RequiresPrivileges
class ConcurrentRuntimesAttackTest {

    private static final int THREADS_PER_RUNTIME = 3;
    private static final int ROUNDS = 15;

    @RegisterExtension
    final TempRunDirs runDirs = new TempRunDirs();

    @Test
    void runtimesUsedAtOnceFromManyThreadsNeverSeeEachOthersNamesOrHandles() throws Exception {
        String prefix = "nt-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (NetnsRuntime a = NetnsRuntime.builder().runDirectory(runDirs.create()).build();
                NetnsRuntime b = NetnsRuntime.builder().runDirectory(runDirs.create()).build()) {
            NamespaceTemplate templateA = new NamespaceTemplate(a);
            NamespaceTemplate templateB = new NamespaceTemplate(b);
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS_PER_RUNTIME; t++) {
                threads.add(worker(templateA, b, prefix + "a" + t + "-", prefix + "b", start, failures));
                threads.add(worker(templateB, a, prefix + "b" + t + "-", prefix + "a", start, failures));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(120));
                assertThat(thread.isAlive()).isFalse();
            }
            assertThat(failures).isEmpty();
            assertThat(a.listNamed()).isEmpty();
            assertThat(b.listNamed()).isEmpty();
            templateA.executors().close();
            templateB.executors().close();
            assertThat(a.openHandles()).isEmpty();
            assertThat(b.openHandles()).isEmpty();
            assertThat(a.leakedHandles()).isZero();
            assertThat(b.leakedHandles()).isZero();
        }
    }

    /** Creates, runs in, lists and deletes names of its template's runtime, checking the other never sees them. */
    private static Thread worker(NamespaceTemplate template, NetnsRuntime other, String own, String othersPrefix,
            CountDownLatch start, List<Throwable> failures) {
        NetnsRuntime runtime = template.runtime();
        Path dir = runtime.runDirectory();
        Thread thread = new Thread(() -> {
            try {
                start.await();
                for (int i = 0; i < ROUNDS; i++) {
                    String name = own + i;
                    try (NsHandle created = template.createNamed(name)) {
                        assertThat(template.execute(name, NsHandle::id)).isEqualTo(created.id());
                        assertThat(runtime.listNamed()).contains(name).noneMatch(n -> n.startsWith(othersPrefix));
                        assertThat(other.listNamed()).doesNotContain(name);
                        assertThat(runtime.openHandles()).extracting(HandleInfo::source)
                                .noneMatch(source -> source.contains(othersPrefix));
                        assertThat(other.openHandles()).extracting(HandleInfo::source)
                                .noneMatch(source -> source.contains(own));
                        assertThat(runtime.namesOf(created)).containsExactly(name);
                        assertThat(other.namesOf(created)).isEmpty();
                    } finally {
                        template.deleteNamed(name);
                    }
                }
            } catch (Throwable e) {
                failures.add(new AssertionError("in " + dir + ": " + e, e));
            }
        }, "nt-runtimes-" + own);
        thread.start();
        return thread;
    }
}
