package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.internal.Syscalls;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Attacks on the pinned executors' promises: places the after-task check does not look, limits nested calls ignore, close from inside. */
@RequiresPrivileges
class PinnedExecutorsAttackTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private String named() {
        String name = namespaces.newName();
        Netns.newNamed(name).close();
        return name;
    }

    private static NamespaceId mnt() {
        return Syscalls.idOf("/proc/thread-self/ns/mnt", null);
    }

    @Test
    void aCallbackThatUnsharesTheMountNamespaceRetiresItsWorker() {
        // unshare(CLONE_NEWNS) works on one thread of a multithreaded process (it unshares the
        // thread's filesystem data with it), as `ip netns exec` does before remounting /sys.
        String name = named();
        NamespaceId homeMnt = Syscalls.idOf("/proc/self/ns/mnt", null);
        ExecutorSettings settings = ExecutorSettings.defaults().withThreadsPerNamespace(1);
        try (NamespaceExecutors executors = new NamespaceExecutors(settings)) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            NamespaceId moved = template.execute(name, ns -> {
                Syscalls.unshare(NamespaceType.MNT);
                return mnt();
            });
            assertThat(moved).as("the callback's unshare took effect").isNotEqualTo(homeMnt);
            NamespaceId next = template.execute(name, ns -> mnt());
            assertThat(next).as("the next task's mount namespace").isEqualTo(homeMnt);
        }
    }

    @Test
    void aNestedExecuteWithATimeLimitFromACallbackKeepsItsLimit() {
        String a = named();
        String b = named();
        try (NamespaceExecutors executors = new NamespaceExecutors(
                ExecutorSettings.defaults().withCloseTimeout(Duration.ofSeconds(5)))) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            Object outcome = template.execute(a, ns -> {
                try {
                    return template.execute(b, Duration.ofMillis(200), inner -> {
                        TimeUnit.SECONDS.sleep(3);
                        return "finished after 3 s";
                    });
                } catch (NamespaceTimeoutException e) {
                    return e;
                }
            });
            assertThat(outcome).isInstanceOf(NamespaceTimeoutException.class);
        }
    }

    @Test
    void closeCalledFromACallbackDoesNotWaitForItsOwnThread() {
        String name = named();
        NamespaceExecutors executors = new NamespaceExecutors(
                ExecutorSettings.defaults().withCloseTimeout(Duration.ofSeconds(4)));
        try {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            List<String> stuck = template.execute(name, ns -> executors.closeAndReport());
            assertThat(stuck).as("threads close() reported stuck when called from a callback").isEmpty();
        } finally {
            executors.close();
        }
    }

    @Test
    void aHungCallbackWrittenOffTheCapKeepsItsExecutorAndHandlePastTheKeepAlive() throws Exception {
        String a = named();
        String b = named();
        ExecutorSettings settings = ExecutorSettings.defaults().withMaxThreads(1).withKeepAlive(Duration.ofMillis(500))
                .withHungAfter(Duration.ofMillis(200));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (NamespaceExecutors executors = new NamespaceExecutors(settings)) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            CompletableFuture<Boolean> hung = template.submit(a, ns -> {
                running.countDown();
                release.await();
                return ns.isOpen();
            });
            running.await();
            template.execute(b, ns -> ns.id()); // gets a thread once the hung one is written off
            TimeUnit.MILLISECONDS.sleep(1_500); // three keep-alives, the hung callback still running
            assertThat(executors.executors()).as("the hung callback is still visible")
                    .anyMatch(info -> info.label().equals(a) && info.hung() == 1);
            release.countDown();
            assertThat(hung.get(10, TimeUnit.SECONDS)).as("the handle handed to the hung callback is still open").isTrue();
        } finally {
            release.countDown();
        }
    }
}
