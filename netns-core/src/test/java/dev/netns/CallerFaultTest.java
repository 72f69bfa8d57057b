package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netns.testsupport.Figures;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults on the caller's side that {@link NamespaceTemplateTest} does not inject already (it covers
 * a caller interrupted while waiting for {@code execute}, a namespace deleted under running tasks,
 * and errors thrown by {@code execute} callbacks): creators interrupted while the throwaway thread
 * works, and errors from submitted callbacks and from callbacks that moved their worker.
 */
@RequiresPrivileges
class CallerFaultTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    /** Closed after each test: an executor's handle would keep its namespace open. */
    private final NamespaceExecutors defaultExecutors = new NamespaceExecutors();

    @AfterEach
    void closeExecutors() {
        defaultExecutors.close();
    }

    @Test
    void interruptedCreatorsGetWholeNamespacesAndKeepTheirInterrupt() throws Exception {
        String named = namespaces.newName();
        String templateNamed = namespaces.newName();
        NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), defaultExecutors);
        int interrupted = 0;
        for (String operation : new String[] {"newNamed", "template.createNamed", "template.create"}) {
            FutureTask<Boolean> creation = new FutureTask<>(() -> {
                Thread.currentThread().interrupt(); // lands while the caller waits for the throwaway thread
                try (NsHandle created = switch (operation) {
                    case "newNamed" -> Netns.newNamed(named);
                    case "template.createNamed" -> template.createNamed(templateNamed);
                    default -> template.create();
                }) {
                    boolean kept = Thread.interrupted();
                    assertThat(template.<NamespaceId>execute(created, ns -> NamespaceTemplateTest.here())).isEqualTo(created.id());
                    return kept;
                }
            });
            Thread caller = new Thread(creation, "nt-interrupted-creator");
            caller.start();
            caller.join();
            assertThat(creation.get()).as(operation + " keeps the interrupt").isTrue();
            interrupted++;
        }
        for (String name : new String[] {named, templateNamed}) {
            try (NsHandle byName = Netns.fromName(name)) {
                assertThat(template.interfaces(byName)).extracting(NetworkInterfaceInfo::name).containsExactly("lo");
            }
            Netns.deleteNamed(name);
        }
        Figures.print("fault creator-interrupted", "injected", interrupted, "whole-namespaces", interrupted, "interrupts-kept",
                interrupted, "half-created", 0);
    }

    @Test
    void errorsFromSubmittedCallbacksAndFromCallbacksThatMovedTheirWorkerReachTheCaller() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors(); NsHandle host = Netns.get()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            NamespaceId target = template.execute(name, ns -> NamespaceTemplateTest.here());

            OutOfMemoryError error = new OutOfMemoryError("nt-injected");
            CompletableFuture<Object> submitted = template.submit(name, ns -> {
                throw error;
            });
            assertThatThrownBy(submitted::get).isInstanceOf(ExecutionException.class).hasCause(error);

            AssertionError afterMoving = new AssertionError("nt-injected after moving");
            assertThatThrownBy(() -> template.execute(name, ns -> {
                Netns.set(host);
                throw afterMoving;
            })).isSameAs(afterMoving);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(executors.executors()).singleElement()
                    .satisfies(info -> assertThat(info.retired()).isEqualTo(1)));
            assertThat(template.<NamespaceId>execute(name, ns -> NamespaceTemplateTest.here())).isEqualTo(target);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(Netns.threads()).filteredOn(ThreadNamespace::stray).isEmpty());
            Figures.print("fault callback-error", "injected", 2, "errors-delivered", 2, "workers-retired", 1, "strays", 0);
        }
    }
}
