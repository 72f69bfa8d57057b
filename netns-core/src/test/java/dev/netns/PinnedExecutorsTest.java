package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netns.internal.Syscalls;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The promises of the pinned executors at their edges: where futures complete, retirement, close, hung callbacks, moves. */
@RequiresPrivileges
class PinnedExecutorsTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    static NamespaceId here() {
        return Syscalls.idOf("/proc/thread-self/ns/net", null);
    }

    static NamespaceId uts() {
        return Syscalls.idOf("/proc/thread-self/ns/uts", null);
    }

    private String named() {
        String name = namespaces.newName();
        Netns.newNamed(name).close();
        return name;
    }

    @Test
    void dependentStagesOfASubmittedFutureRunAtHome() throws Exception {
        String name = named();
        NamespaceId host = Netns.hostId();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            for (int round = 0; round < 20; round++) {
                CountDownLatch attached = new CountDownLatch(1);
                CompletableFuture<NamespaceId> inside = template.submit(name, ns -> {
                    attached.await(); // the stages below are attached before the future completes
                    return here();
                });
                CompletableFuture<NamespaceId> thenApply = inside.thenApply(id -> here());
                CompletableFuture<NamespaceId> thenApplyAsync = inside.thenApplyAsync(id -> here());
                CompletableFuture<NamespaceId> chained = inside.thenApply(id -> id).thenApplyAsync(id -> here())
                        .thenCompose(id -> CompletableFuture.supplyAsync(PinnedExecutorsTest::here));
                attached.countDown();
                assertThat(inside.get(10, TimeUnit.SECONDS)).isNotEqualTo(host);
                assertThat(thenApply.get(10, TimeUnit.SECONDS)).isEqualTo(host);
                assertThat(thenApplyAsync.get(10, TimeUnit.SECONDS)).isEqualTo(host);
                assertThat(chained.get(10, TimeUnit.SECONDS)).isEqualTo(host);
            }
            // Whatever ran those stages (home threads, the common pool) was born at home.
            assertThat(Netns.threads()).filteredOn(ThreadNamespace::stray).isEmpty();
        }
    }

    @Test
    void executorsThatNeverRanATaskRetireAfterTheKeepAlive() throws Exception {
        ExecutorSettings settings = ExecutorSettings.defaults().withKeepAlive(Duration.ofMillis(300));
        NamespaceTemplate creator = new NamespaceTemplate();
        Set<String> created = new HashSet<>();
        try (NamespaceExecutors executors = new NamespaceExecutors(settings)) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            for (int i = 0; i < 500; i++) {
                try (NsHandle outer = creator.create(); NsHandle inner = creator.create()) {
                    created.add(outer.uniqueId());
                    created.add(inner.uniqueId());
                    if (i % 2 == 0) {
                        executors.executorFor(outer); // made, never given a task
                    } else {
                        // the inner namespace's executor is only the target of a nested call
                        template.execute(outer, ns -> template.execute(inner, in -> here()));
                    }
                }
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(executors.executors()).isEmpty();
                assertThat(executors.threadCount()).isZero();
                assertThat(Netns.openHandles()).noneMatch(handle -> created.contains(handle.uniqueId()));
            });
        }
    }

    @Test
    void theExecutorOfANamedNamespaceThisJvmDeletesRetiresAtOnce() {
        String name = named();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            NamespaceId id = template.execute(name, ns -> here());
            assertThat(executors.executors()).extracting(ExecutorInfo::namespace).containsExactly(id);
            template.deleteNamed(name);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(executors.executors()).isEmpty();
                assertThat(Netns.threads()).noneMatch(thread -> thread.netns().equals(id));
            });
        }
    }

    @Test
    void closeWithThreeHungCallbacksReturnsWithinItsDeadlineAndNamesThem() throws Exception {
        ExecutorSettings settings = ExecutorSettings.defaults().withCloseTimeout(Duration.ofSeconds(2));
        AtomicBoolean release = new AtomicBoolean();
        NamespaceExecutors executors = new NamespaceExecutors(settings);
        NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
        CountDownLatch running = new CountDownLatch(3);
        List<CompletableFuture<Object>> hung = new ArrayList<>();
        Set<NamespaceId> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String name = named();
            ids.add(template.execute(name, ns -> here()));
            hung.add(template.submit(name, ns -> {
                running.countDown();
                while (!release.get()) { // deaf to interrupts
                    Thread.onSpinWait();
                    Thread.interrupted();
                }
                return null;
            }));
        }
        running.await();
        long start = System.nanoTime();
        List<String> stuck = executors.closeAndReport();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        release.set(true);
        System.out.printf("close with 3 hung callbacks: returned after %d ms (deadline 2,000 ms), stuck %s%n", tookMillis, stuck);
        assertThat(tookMillis).isBetween(1_900L, 3_000L);
        assertThat(stuck).hasSize(3).allSatisfy(thread -> assertThat(thread).startsWith("netns-nt-"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Netns.threads()).noneMatch(thread -> ids.contains(thread.netns())));
    }

    @Test
    void closeInterruptsCallbacksThatListenAndLeavesNoThread() throws Exception {
        ExecutorSettings settings = ExecutorSettings.defaults().withCloseTimeout(Duration.ofSeconds(4));
        NamespaceExecutors executors = new NamespaceExecutors(settings);
        NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
        CountDownLatch running = new CountDownLatch(3);
        List<CompletableFuture<Object>> blocked = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(named());
            blocked.add(template.submit(names.get(i), ns -> {
                running.countDown();
                new CountDownLatch(1).await();
                return null;
            }));
        }
        running.await();
        assertThat(executors.closeAndReport()).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> names.stream().anyMatch(name -> thread.getName().startsWith("netns-" + name + "-")));
        for (CompletableFuture<Object> future : blocked) {
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOfAny(ExecutionException.class,
                    CancellationException.class);
        }
    }

    @Test
    void closeRacingCallersStartsNothingAfterItAndLeavesNoPinnedThread() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            names.add(named());
        }
        for (int round = 0; round < 10; round++) {
            NamespaceExecutors executors = new NamespaceExecutors();
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
            AtomicInteger rejected = new AtomicInteger();
            ExecutorService callers = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int caller = c;
                done.add(callers.submit(() -> {
                    for (int t = 0; ; t++) {
                        try {
                            template.execute(names.get((t + caller) % names.size()), ns -> {
                                starts.add(System.nanoTime());
                                return null;
                            });
                        } catch (RejectedExecutionException e) {
                            rejected.incrementAndGet();
                            return null;
                        }
                    }
                }));
            }
            Thread.sleep(50 + round * 10L);
            executors.close();
            long closed = System.nanoTime();
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
                    .noneMatch(thread -> names.stream().anyMatch(name -> thread.getName().startsWith("netns-" + name + "-")));
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
            callers.shutdown();
            assertThat(rejected.get()).isEqualTo(6);
            assertThat(starts).isNotEmpty().allSatisfy(start -> assertThat(start).isLessThan(closed));
            assertThat(executors.executors()).isEmpty();
        }
    }

    @Test
    void cancellingASubmittedFutureInterruptsItsCallback() throws Exception {
        String name = named();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            CompletableFuture<Object> future = template.submit(name, ns -> {
                running.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return null;
            });
            running.await();
            assertThat(future.cancel(true)).isTrue();
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(template.<NamespaceId>execute(name, ns -> here())).isNotNull();
        }
    }

    @Test
    void executeWithATimeLimitCancelsAndInterruptsASlowCallback() throws Exception {
        String name = named();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            CountDownLatch interrupted = new CountDownLatch(1);
            long start = System.nanoTime();
            assertThatThrownBy(() -> template.execute(name, Duration.ofMillis(200), ns -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return null;
            })).isInstanceOf(NamespaceTimeoutException.class).hasMessageContaining(name).hasMessageContaining("200 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(template.<String>execute(name, Duration.ofSeconds(10), ns -> "quick")).isEqualTo("quick");
        }
    }

    @Test
    void hungCallbacksAreVisibleAndDoNotStarveOtherNamespaces() throws Exception {
        ExecutorSettings settings = ExecutorSettings.defaults().withMaxThreads(4).withHungAfter(Duration.ofMillis(300));
        CountDownLatch release = new CountDownLatch(1);
        try (NamespaceExecutors executors = new NamespaceExecutors(settings)) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            CountDownLatch running = new CountDownLatch(4);
            List<CompletableFuture<Object>> hung = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                hung.add(template.submit(named(), ns -> {
                    running.countDown();
                    release.await();
                    return null;
                }));
            }
            running.await();
            // Every callback is hung before another namespace asks: the write-offs happen only
            // while it waits, and the last callback may have started well after the first.
            TimeUnit.MILLISECONDS.sleep(400);
            String other = named();
            CompletableFuture<NamespaceId> starved = CompletableFuture.supplyAsync(
                    () -> template.execute(other, ns -> here()));
            assertThat(starved.get(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(executors.executors()).filteredOn(info -> info.hung() == 1).hasSize(4);
            assertThat(executors.hungThreadCount()).isEqualTo(4);
            assertThat(executors.threadCount()).isLessThanOrEqualTo(4);
            release.countDown();
            for (CompletableFuture<Object> future : hung) {
                future.get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(executors.hungThreadCount()).isZero());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPinnedWorkerWaitingOnItsOwnNamespaceRunsTheTaskInsteadOfDeadlocking() throws Exception {
        String name = named();
        ExecutorSettings settings = ExecutorSettings.defaults().withThreadsPerNamespace(1).withMaxThreads(1);
        try (NamespaceExecutors executors = new NamespaceExecutors(settings); NsHandle ns = Netns.fromName(name)) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            CompletableFuture<List<NamespaceId>> outer = template.submit(name, handle -> List.of(
                    template.submit(name, inner -> here()).get(),
                    template.submit(name, inner -> here()).join(),
                    executors.executorFor(ns).submit(PinnedExecutorsTest::here).get()));
            assertThat(outer.get(20, TimeUnit.SECONDS)).containsOnly(ns.id());
        }
    }

    @Test
    void aCallbackThatMovesItsWorkerInUtsGetsTheWorkerRetired() throws Exception {
        String name = named();
        NamespaceId hostUts = uts();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            int movedTid = template.execute(name, ns -> {
                Syscalls.unshare(NamespaceType.UTS);
                return Syscalls.gettid();
            });
            await().untilAsserted(() -> assertThat(executors.executors()).singleElement()
                    .satisfies(info -> assertThat(info.retired()).isEqualTo(1)));
            for (int i = 0; i < 20; i++) {
                assertThat(template.<Integer>execute(name, ns -> Syscalls.gettid())).isNotEqualTo(movedTid);
                assertThat(template.<NamespaceId>execute(name, ns -> uts())).isEqualTo(hostUts);
            }
        }
    }

    @Test
    void pastTheCapIdleWorkersMoveInsteadOfNewThreadsStarting() throws Exception {
        ExecutorSettings settings = ExecutorSettings.defaults().withThreadsPerNamespace(1).withMaxThreads(2);
        List<NsHandle> handles = new ArrayList<>();
        NamespaceTemplate creator = new NamespaceTemplate();
        try (NamespaceExecutors executors = new NamespaceExecutors(settings)) {
            for (int i = 0; i < 10; i++) {
                handles.add(creator.create());
            }
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            Set<Integer> tids = new HashSet<>();
            int misrouted = 0;
            for (int call = 0; call < 300; call++) {
                NsHandle handle = handles.get(call % handles.size());
                long[] seen = template.execute(handle, ns -> new long[] {Syscalls.gettid(), here().inode()});
                tids.add((int) seen[0]);
                if (seen[1] != handle.id().inode()) {
                    misrouted++;
                }
                assertThat(executors.threadCount()).isLessThanOrEqualTo(2);
            }
            System.out.printf("300 calls round-robin over 10 namespaces, cap 2: %d distinct pinned threads, %d misrouted%n",
                    tids.size(), misrouted);
            assertThat(misrouted).isZero();
            assertThat(tids).hasSizeLessThanOrEqualTo(2);
            assertThat(template.<String>execute(handles.get(3), ns -> Thread.currentThread().getName()))
                    .startsWith("netns-" + handles.get(3).id() + "-");
        } finally {
            handles.forEach(NsHandle::close);
        }
    }
}
