package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netns.internal.Syscalls;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.Figures;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPrivileges
class NamespaceTemplateTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final List<NamespaceTemplate> defaultTemplates = new ArrayList<>();

    /** A template with default executors, closed after the test (their handles would keep the namespaces). */
    private NamespaceTemplate defaultTemplate() {
        NamespaceTemplate template = new NamespaceTemplate();
        defaultTemplates.add(template);
        return template;
    }

    @AfterEach
    void closeDefaultTemplates() {
        defaultTemplates.forEach(template -> template.executors().close());
    }

    /** The namespace the calling thread is in, by stat, as a task sees it. */
    static NamespaceId here() {
        return Syscalls.idOf("/proc/thread-self/ns/net", null);
    }

    @Test
    void everyTaskRunsInItsNamespaceUnderConcurrentCallersAndNothingLeaksAfterClose() throws Exception {
        int callers = 8;
        int tasksPerCallerAndNamespace = 2_000;
        List<String> names = new ArrayList<>();
        List<NamespaceId> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = namespaces.newName();
            try (NsHandle ns = Netns.newNamed(name)) {
                names.add(name);
                ids.add(ns.id());
            }
        }
        long fdsBefore = Fds.count();
        NamespaceExecutors executors = new NamespaceExecutors();
        NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
        AtomicLong ran = new AtomicLong();
        AtomicLong misrouted = new AtomicLong();
        ExecutorService callerPool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int offset = c;
                done.add(callerPool.submit(() -> {
                    for (int t = 0; t < tasksPerCallerAndNamespace; t++) {
                        for (int n = 0; n < names.size(); n++) {
                            int index = (n + offset) % names.size();
                            NamespaceId seen = template.execute(names.get(index), ns -> here());
                            ran.incrementAndGet();
                            if (!seen.equals(ids.get(index))) {
                                misrouted.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            callerPool.shutdown();
        }
        System.out.printf("template stress: %d tasks over %d namespaces from %d callers, %d misrouted%n",
                ran.get(), names.size(), callers, misrouted.get());
        assertThat(ran.get()).isEqualTo(callers * tasksPerCallerAndNamespace * 10L);
        assertThat(misrouted.get()).isZero();
        assertThat(executors.executors()).extracting(ExecutorInfo::namespace).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(executors.threadCount()).isLessThanOrEqualTo(10 * executors.settings().threadsPerNamespace());
        assertThat(Netns.threads()).filteredOn(ThreadNamespace::stray).isEmpty();
        assertThat(Netns.threads()).filteredOn(t -> !t.pinnedWorker()).allSatisfy(t -> assertThat(t.host()).isTrue());

        executors.close();
        assertThat(executors.executors()).isEmpty();
        // Joined threads leave /proc/self/task a moment after Java sees them end.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Netns.threads()).noneMatch(thread -> ids.contains(thread.netns())));
        assertThat(Fds.targets()).noneMatch(target -> ids.stream().anyMatch(id -> target.equals("net:[" + id.inode() + "]")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Fds.count()).isLessThanOrEqualTo(fdsBefore));
    }

    @Test
    void aWorkerThatATaskMovedIsRetiredAndReplaced() throws Exception {
        String name = namespaces.newName();
        Netns.newNamed(name).close();
        try (NamespaceExecutors executors = new NamespaceExecutors(); NsHandle host = Netns.get()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            NamespaceId target = template.execute(name, ns -> here());

            long movedTid = template.execute(name, ns -> {
                Netns.set(host);
                return (long) Syscalls.gettid();
            });
            await().untilAsserted(() -> assertThat(executors.executors()).singleElement()
                    .satisfies(info -> assertThat(info.retired()).isEqualTo(1)));
            assertThat(template.<Integer>execute(name, ns -> Syscalls.gettid())).isNotEqualTo((int) movedTid);
            assertThat(template.<NamespaceId>execute(name, ns -> here())).isEqualTo(target);

            long unsharedTid = template.execute(name, ns -> {
                Netns.newNamespace().close();
                return (long) Syscalls.gettid();
            });
            await().untilAsserted(() -> assertThat(executors.executors()).singleElement()
                    .satisfies(info -> assertThat(info.retired()).isEqualTo(2)));
            assertThat(template.<Integer>execute(name, ns -> Syscalls.gettid())).isNotEqualTo((int) unsharedTid);
            assertThat(template.<NamespaceId>execute(name, ns -> here())).isEqualTo(target);
            assertThat(Netns.threads()).filteredOn(ThreadNamespace::stray).isEmpty();
        }
    }

    @Test
    void theGlobalCapIsNeverExceededAndIdleWorkersRetire() throws Exception {
        ExecutorSettings settings = ExecutorSettings.defaults().withMaxThreads(4).withKeepAlive(Duration.ofMillis(300));
        NamespaceTemplate creator = new NamespaceTemplate();
        List<NsHandle> handles = new ArrayList<>();
        AtomicInteger maxThreads = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        try (NamespaceExecutors executors = new NamespaceExecutors(settings)) {
            for (int i = 0; i < 50; i++) {
                handles.add(creator.create());
            }
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    maxThreads.accumulateAndGet(executors.threadCount(), Math::max);
                }
            }, "nt-sampler");
            sampler.start();
            List<CompletableFuture<Boolean>> results = new ArrayList<>();
            ExecutorService callers = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int caller = c;
                    done.add(callers.submit(() -> {
                        for (int t = 0; t < 1_250; t++) {
                            NsHandle handle = handles.get((t * 7 + caller) % handles.size());
                            assertThat(template.<NamespaceId>execute(handle, ns -> here())).isEqualTo(handle.id());
                        }
                        return null;
                    }));
                }
                for (int t = 0; t < 200; t++) {
                    NsHandle handle = handles.get(t % handles.size());
                    results.add(template.submit("path:/proc/self/fd/" + handle.fd(), ns -> here().equals(handle.id())));
                }
                for (Future<?> future : done) {
                    future.get(5, TimeUnit.MINUTES);
                }
                assertThat(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                        .thenApply(v -> results.stream().allMatch(CompletableFuture::join)).get(5, TimeUnit.MINUTES)).isTrue();
            } finally {
                callers.shutdown();
                sampling.set(false);
                sampler.join();
            }
            System.out.printf("thread cap: 5,200 tasks over 50 namespaces, at most %d pinned threads (cap 4)%n", maxThreads.get());
            assertThat(maxThreads.get()).isBetween(1, 4);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(executors.threadCount()).isZero();
                assertThat(executors.executors()).isEmpty();
            });
        } finally {
            handles.forEach(NsHandle::close);
        }
    }

    @Test
    void aNamespaceDeletedUnderItsExecutorFinishesItsTasksAndARecreatedNameGetsANewExecutor() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            NamespaceId old = template.execute(name, ns -> here());
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<NamespaceId> first = template.submit(name, ns -> {
                running.countDown();
                release.await();
                return here();
            });
            CompletableFuture<NamespaceId> queued = template.submit(name, ns -> here());
            running.await();
            Commands.check("ip", "netns", "del", name);
            release.countDown();
            assertThat(first.get(1, TimeUnit.MINUTES)).isEqualTo(old);
            assertThat(queued.get(1, TimeUnit.MINUTES)).isEqualTo(old);

            assertThatThrownBy(() -> template.execute(name, ns -> here())).isInstanceOf(NamespaceNotFoundException.class)
                    .hasMessageContaining(name);

            Commands.check("ip", "netns", "add", name);
            NamespaceId recreated = template.execute(name, ns -> here());
            assertThat(recreated).isNotEqualTo(old);
            try (NsHandle now = Netns.fromName(name)) {
                assertThat(recreated).isEqualTo(now.id());
            }
            assertThat(executors.executors()).extracting(ExecutorInfo::namespace).contains(recreated);
            Figures.print("fault namespace-deleted-under-tasks", "injected", 1, "tasks-finished", 2, "tasks-lost", 0);
        }
    }

    @Test
    void callbackExceptionsArriveUnchangedOrWrapped() {
        String name = namespaces.ipNetnsAdd();
        NamespaceTemplate template = defaultTemplate();
        IllegalStateException runtime = new IllegalStateException("runtime");
        assertThatThrownBy(() -> template.execute(name, ns -> {
            throw runtime;
        })).isSameAs(runtime);
        StackOverflowError error = new StackOverflowError("error");
        assertThatThrownBy(() -> template.execute(name, ns -> {
            throw error;
        })).isSameAs(error);
        IOException checked = new IOException("checked");
        assertThatThrownBy(() -> template.execute(name, ns -> {
            throw checked;
        })).isInstanceOf(NamespaceExecutionException.class).hasCause(checked).hasMessageContaining(name);
        assertThat(template.<Object>submit(name, ns -> {
            throw checked;
        })).failsWithin(Duration.ofMinutes(1)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(NamespaceExecutionException.class).withCause(checked);
        assertThat(template.<NamespaceId>execute(name, ns -> here())).isNotNull(); // the worker survived them all
        Figures.print("fault callback-throws", "injected", 4, "delivered-unchanged-or-wrapped", 4, "workers-lost", 0);
    }

    @Test
    void nestedCallsRunInlineOrSwitchAndComeBack() {
        String blue = namespaces.ipNetnsAdd();
        String green = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors(ExecutorSettings.defaults().withThreadsPerNamespace(1).withMaxThreads(1))) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            NamespaceId blueId = template.execute(blue, ns -> here());
            NamespaceId greenId;
            try (NsHandle g = Netns.fromName(green)) {
                greenId = g.id();
            }
            List<Object> seen = template.execute(blue, outer -> {
                Thread worker = Thread.currentThread();
                Thread nestedThread = template.execute(blue, inner -> Thread.currentThread());
                NamespaceId inGreen = template.execute(green, inner -> here());
                return List.of(nestedThread == worker, inGreen, here());
            });
            assertThat(seen).containsExactly(true, greenId, blueId);
            assertThat(template.<NamespaceId>execute(blue, ns -> here())).isEqualTo(blueId);
            assertThat(executors.executors()).allSatisfy(info -> assertThat(info.retired()).isZero());
        }
    }

    @Test
    void socketsOpenedInsideStayInTheirNamespace() throws Exception {
        String a = namespaces.ipNetnsAdd();
        String b = namespaces.ipNetnsAdd();
        Commands.check("ip", "link", "add", "name", "nt-va", "netns", a, "type", "veth", "peer", "name", "nt-vb", "netns", b);
        Commands.check("ip", "-n", a, "addr", "add", "10.213.7.1/24", "dev", "nt-va");
        Commands.check("ip", "-n", b, "addr", "add", "10.213.7.2/24", "dev", "nt-vb");
        for (String[] up : new String[][] {{a, "nt-va"}, {b, "nt-vb"}, {a, "lo"}}) {
            Commands.check("ip", "-n", up[0], "link", "set", up[1], "up");
        }
        NamespaceTemplate template = defaultTemplate();
        try (java.nio.channels.ServerSocketChannel server = template.execute(a, ns -> {
                    java.nio.channels.ServerSocketChannel channel = java.nio.channels.ServerSocketChannel.open();
                    channel.bind(new java.net.InetSocketAddress("0.0.0.0", 0));
                    return channel;
                })) {
            int port = ((java.net.InetSocketAddress) server.getLocalAddress()).getPort();
            // From the host namespace the port is not there: nothing listens on the host's loopback.
            assertThatThrownBy(() -> java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress("127.0.0.1", port)))
                    .isInstanceOf(java.net.ConnectException.class);
            try (java.nio.channels.SocketChannel client = template.execute(b, ns ->
                    java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress("10.213.7.1", port)));
                    java.nio.channels.SocketChannel accepted = server.accept()) {
                // Echo over the veth, driven from this (host) thread with the namespaced sockets.
                client.write(java.nio.ByteBuffer.wrap("ping".getBytes()));
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4);
                while (buffer.hasRemaining()) {
                    accepted.read(buffer);
                }
                buffer.flip();
                accepted.write(buffer);
                java.nio.ByteBuffer echoed = java.nio.ByteBuffer.allocate(4);
                while (echoed.hasRemaining()) {
                    client.read(echoed);
                }
                assertThat(new String(echoed.array())).isEqualTo("ping");
                assertThat(((java.net.InetSocketAddress) accepted.getRemoteAddress()).getHostString()).isEqualTo("10.213.7.2");
            }
        }
    }

    @Test
    void anInterruptedCallerStopsWaitingAndTheTaskIsCancelled() throws Exception {
        String name = namespaces.ipNetnsAdd();
        NamespaceTemplate template = defaultTemplate();
        NamespaceId target = template.execute(name, ns -> here());
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> callerSaw = new AtomicReference<>();
        AtomicBoolean taskInterrupted = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                template.execute(name, ns -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        taskInterrupted.set(true);
                    }
                    return null;
                });
            } catch (Throwable e) {
                callerSaw.set(e);
            }
            if (!Thread.currentThread().isInterrupted()) {
                callerSaw.set(new AssertionError("interrupt flag lost"));
            }
        });
        caller.start();
        started.await();
        caller.interrupt();
        caller.join();
        assertThat(callerSaw.get()).isInstanceOf(NamespaceExecutionException.class).hasCauseInstanceOf(InterruptedException.class);
        await().untilTrue(taskInterrupted);
        assertThat(template.<NamespaceId>execute(name, ns -> here())).isEqualTo(target);
        Figures.print("fault caller-interrupted", "injected", 1, "task-cancelled", 1, "interrupt-kept", 1);
    }

    @Test
    void workersAreNamedAfterTheirNamespaceAndExecutorsKeepTheirOwnHandle() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NsHandle handle = Netns.fromName(name);
            NamespaceId id = handle.id();
            ExecutorService executor = executors.executorFor(handle);
            handle.close();
            Commands.check("ip", "netns", "del", name);
            assertThat(executor.submit(() -> Thread.currentThread().getName()).get()).startsWith("netns-" + name + "-");
            assertThat(executor.submit(NamespaceTemplateTest::here).get()).isEqualTo(id);
            await().untilAsserted(() -> assertThat(executors.executors()).singleElement().satisfies(info -> {
                assertThat(info.label()).isEqualTo(name);
                assertThat(info.completed()).isEqualTo(2);
                assertThat(info.threads()).isBetween(1, executors.settings().threadsPerNamespace());
            }));
        }
    }

    @Test
    void aSequentialCallerNeedsOneWorkerPerNamespace() {
        List<NsHandle> handles = new ArrayList<>();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            for (int i = 0; i < 4; i++) {
                handles.add(Netns.newNamed(namespaces.newName()));
            }
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            for (int call = 0; call < 20_000; call++) {
                template.execute(handles.get(call % handles.size()), ns -> null);
            }
            // Each call waits for the one before, so no namespace ever has two tasks at once.
            assertThat(executors.threadCount()).isEqualTo(handles.size());
        } finally {
            handles.forEach(NsHandle::close);
        }
    }

    @Test
    void aFullQueueRejectsClearly() throws Exception {
        String name = namespaces.ipNetnsAdd();
        ExecutorSettings settings = ExecutorSettings.defaults().withThreadsPerNamespace(1).withQueueCapacity(1);
        try (NamespaceExecutors executors = new NamespaceExecutors(settings); NsHandle ns = Netns.fromName(name)) {
            ExecutorService executor = executors.executorFor(ns);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            executor.submit(() -> {
                started.countDown();
                release.await();
                return null;
            });
            started.await();
            executor.submit(() -> null);
            assertThatThrownBy(() -> executor.submit(() -> null)).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("full").hasMessageContaining(name);
            release.countDown();
        }
    }

    @Test
    void creatingNamespacesNeverMovesTheCaller() {
        String name = namespaces.newName();
        NamespaceTemplate template = defaultTemplate();
        try (NsHandle before = Netns.get(); NsHandle anonymous = template.create(); NsHandle named = template.createNamed(name)) {
            assertThat(anonymous.equal(before)).isFalse();
            assertThat(named.equal(before)).isFalse();
            try (NsHandle after = Netns.get()) {
                assertThat(after.equal(before)).isTrue();
            }
            assertThat(template.<NamespaceId>execute(anonymous, ns -> here())).isEqualTo(anonymous.id());
        }
        template.deleteNamed(name);
        assertThat(Netns.listNamed()).doesNotContain(name);
    }

    @Test
    void aliasesStandForReferencesAndListenersSeeEveryCall() {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors,
                    java.util.Map.of("backend", "name:" + name));
            List<ExecutionEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            template.addListener(events::add);
            NamespaceId id = template.execute("backend", ns -> here());
            try (NsHandle ns = Netns.fromName(name)) {
                assertThat(id).isEqualTo(ns.id());
            }
            assertThat(template.<String>execute("backend", ns -> Thread.currentThread().getName())).startsWith("netns-backend-");
            assertThat(template.referenceOf("backend")).isEqualTo(NamespaceReference.name(name));
            IllegalStateException failure = new IllegalStateException("boom");
            assertThatThrownBy(() -> template.execute("backend", ns -> {
                throw failure;
            })).isSameAs(failure);
            assertThat(template.<NamespaceId>execute(name, ns -> here())).isEqualTo(id);
            assertThat(events).hasSize(4);
            assertThat(events.subList(0, 3)).allSatisfy(event -> assertThat(event.alias()).isEqualTo("backend"));
            assertThat(events.get(2).failure()).isSameAs(failure);
            assertThat(events.get(3).alias()).isNull();
            assertThat(events).allSatisfy(event -> assertThat(event.durationNanos()).isPositive());
            assertThatThrownBy(() -> new NamespaceTemplate(new DefaultNamespaceResolver(), executors, java.util.Map.of("bad", "pid:-1")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias 'bad'");
        }
    }
}
