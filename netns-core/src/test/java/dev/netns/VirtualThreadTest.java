package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A setns on a virtual thread would land on its carrier and leak to every virtual thread mounted
 * there later: the calls that move the calling thread refuse to run on one.
 */
@RequiresPrivileges
class VirtualThreadTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void callsThatMoveTheThreadAreRefusedOnAVirtualThreadAndTheCarrierStaysWhereItWas() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads exist from JDK 21 on; this JVM is JDK "
                + Runtime.version().feature() + ", which has none to refuse");
        String name = namespaces.ipNetnsAdd();
        try (NsHandle host = Netns.get(); NsHandle target = Netns.fromName(name)) {
            List<Integer> straysBefore = strays();
            Map<String, Throwable> refusals = new LinkedHashMap<>();
            AtomicReference<NamespaceId> carrierAfter = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread virtual = startVirtualThread(() -> {
                try {
                    refusals.put("Netns.set", catchThrowable(() -> Netns.set(target)));
                    refusals.put("Netns.setns", catchThrowable(() -> Netns.setns(target, NamespaceType.NET)));
                    refusals.put("Netns.newNamespace", catchThrowable(() -> Netns.newNamespace().close()));
                    // Reading is allowed: /proc/thread-self is the carrier this virtual thread is mounted on.
                    try (NsHandle now = Netns.get()) {
                        carrierAfter.set(now.id());
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            virtual.join();

            assertThat(failure.get()).isNull();
            assertThat(refusals).hasSize(3).allSatisfy((operation, refusal) -> assertThat(refusal)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith(operation + " changes the calling OS thread's namespace")
                    .hasMessageContaining("virtual thread").hasMessageContaining("carrier thread")
                    .hasMessageContaining("NamespaceTemplate"));
            assertThat(carrierAfter.get()).isEqualTo(host.id());
            assertThat(Netns.threads()).noneMatch(thread -> target.id().equals(thread.netns()));
            assertThat(strays()).isSubsetOf(straysBefore);
        }
    }

    /** The OS threads of this JVM outside its namespace that are not pinned workers. */
    private static List<Integer> strays() {
        return Netns.threads().stream().filter(ThreadNamespace::stray).map(ThreadNamespace::tid).toList();
    }

    /** {@code Thread.startVirtualThread}, looked up reflectively: the test sources compile for Java 17. */
    private static Thread startVirtualThread(Runnable task) throws ReflectiveOperationException {
        return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
    }
}
