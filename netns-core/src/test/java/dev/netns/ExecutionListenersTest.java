package dev.netns;

import static dev.netns.NamespaceTemplateTest.here;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netns.testsupport.CapturedLog;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPrivileges
class ExecutionListenersTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    /** A listener that always throws, saying which one it is. */
    private static ExecutionListener throwing(String which) {
        return new ExecutionListener() {
            @Override
            public void executed(ExecutionEvent event) {
                throw new IllegalStateException(which + " broke");
            }

            @Override
            public String toString() {
                return which;
            }
        };
    }

    private static List<ILoggingEvent> listenerWarnings(CapturedLog log) {
        return log.events().stream().filter(event -> event.getLevel() == Level.WARN).toList();
    }

    @Test
    void aListenerThatThrowsAnErrorChangesTheCallsOutcomeNoMoreThanAnException() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors(); CapturedLog log = CapturedLog.of(ExecutionListeners.class)) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors, Map.of());
            template.addListener(event -> {
                throw new AssertionError("a test's assertion in a listener");
            });
            try (NsHandle ns = Netns.fromName(name)) {
                assertThat(template.<NamespaceId>execute(name, in -> here())).isEqualTo(ns.id());
            }
            assertThat(template.listenerFailures()).isEqualTo(1);
            assertThat(listenerWarnings(log)).singleElement()
                    .satisfies(event -> assertThat(event.getThrowableProxy().getClassName()).isEqualTo(AssertionError.class.getName()));
        }
    }

    @Test
    void aListenerThatThrowsIsLoggedOnceAtWarnWithItsExceptionThenCountedAndChangesNothing() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors(); CapturedLog log = CapturedLog.of(ExecutionListeners.class)) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors, Map.of("backend", name));
            List<ExecutionEvent> seen = new CopyOnWriteArrayList<>();
            template.addListener(throwing("first listener"));
            template.addListener(seen::add); // after the throwing one: still told
            NamespaceId id;
            try (NsHandle ns = Netns.fromName(name)) {
                id = ns.id();
            }

            for (int i = 0; i < 5; i++) {
                assertThat(template.<NamespaceId>execute("backend", ns -> here())).isEqualTo(id);
            }
            IllegalArgumentException failure = new IllegalArgumentException("callback failed");
            assertThatThrownBy(() -> template.execute("backend", ns -> {
                throw failure;
            })).isSameAs(failure);
            assertThat(template.submit("backend", ns -> here())).succeedsWithin(Duration.ofMinutes(1)).isEqualTo(id);

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 7); // submit's, at home
            assertThat(template.listenerFailures()).isEqualTo(7);
            assertThat(seen.get(5).failure()).isSameAs(failure);
            List<ILoggingEvent> warnings = listenerWarnings(log);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getFormattedMessage()).contains("first listener").contains("outcome is unchanged");
            assertThat(warnings.get(0).getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
            assertThat(warnings.get(0).getThrowableProxy().getMessage()).isEqualTo("first listener broke");

            template.addListener(throwing("second listener"));
            template.execute("backend", ns -> here());
            template.execute("backend", ns -> here());
            assertThat(listenerWarnings(log)).hasSize(2).last()
                    .satisfies(event -> assertThat(event.getThrowableProxy().getMessage()).isEqualTo("second listener broke"));
            assertThat(template.listenerFailures()).isEqualTo(11);
        }
    }

    @Test
    void concurrentCallsThroughAliasesWithNestedCallsWhileListenersThrowAllArriveAndLogOncePerListener() throws Exception {
        String blue = namespaces.ipNetnsAdd();
        String green = namespaces.ipNetnsAdd();
        int callers = 8;
        int callsPerCaller = 300;
        // Few threads, so nested calls run on workers that are at the cap.
        ExecutorSettings settings = ExecutorSettings.defaults().withThreadsPerNamespace(2).withMaxThreads(3);
        try (NamespaceExecutors executors = new NamespaceExecutors(settings); CapturedLog log = CapturedLog.of(ExecutionListeners.class)) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors,
                    Map.of("blue", "name:" + blue, "green", green));
            NamespaceId blueId = template.execute("blue", ns -> here());
            NamespaceId greenId = template.execute("green", ns -> here());
            AtomicLong told = new AtomicLong();
            template.addListener(throwing("listener A"));
            template.addListener(event -> told.incrementAndGet());
            template.addListener(throwing("listener B"));

            AtomicLong wrong = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            List<Future<?>> done = new ArrayList<>();
            try {
                for (int c = 0; c < callers; c++) {
                    int caller = c;
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < callsPerCaller; i++) {
                            String outer = (i + caller) % 2 == 0 ? "blue" : "green";
                            String other = outer.equals("blue") ? "green" : "blue";
                            NamespaceId outerId = outer.equals("blue") ? blueId : greenId;
                            NamespaceId otherId = outer.equals("blue") ? greenId : blueId;
                            List<NamespaceId> seen = template.execute(outer, ns -> List.of(here(),
                                    template.<NamespaceId>execute(outer, inner -> here()), // same namespace: inline
                                    template.<NamespaceId>execute(other, inner -> here()), // another: switch and back
                                    here()));
                            if (!seen.equals(List.of(outerId, outerId, otherId, outerId))) {
                                wrong.incrementAndGet();
                            }
                            CompletableFuture<NamespaceId> async = template.submit(other, ns -> here());
                            if (!async.get(1, TimeUnit.MINUTES).equals(otherId)) {
                                wrong.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> future : done) {
                    future.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            long calls = (long) callers * callsPerCaller * 4; // outer, two nested, one submit
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> told.get() == calls);
            assertThat(wrong.get()).isZero();
            assertThat(template.listenerFailures()).isEqualTo(2 * calls);
            assertThat(listenerWarnings(log)).extracting(event -> event.getThrowableProxy().getMessage())
                    .containsExactlyInAnyOrder("listener A broke", "listener B broke");
            assertThat(executors.executors()).allSatisfy(info -> assertThat(info.retired()).isZero());
            assertThat(Netns.threads()).filteredOn(ThreadNamespace::stray).isEmpty();
        }
    }
}
