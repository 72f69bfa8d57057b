package dev.netns.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netns.NamespaceTemplate;
import dev.netns.NamespaceType;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.internal.Syscalls;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The leak check fails a class that leaves a stray thread, an open handle, or a named namespace
 * it created, and passes a clean one. The leaking classes are nested (never run on their own) and
 * run here through the JUnit engine with auto-detection on; this test cleans up after each.
 */
@RequiresPrivileges
class LeakCheckTest {

    static final AtomicReference<NsHandle> LEAKED_HANDLE = new AtomicReference<>();
    static final CountDownLatch RELEASE_STRAY = new CountDownLatch(1);
    static final CountDownLatch RELEASE_MOUNT_STRAY = new CountDownLatch(1);
    static final String LEAKED_NAME = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .configurationParameter(LeakCheck.GRACE_MILLIS, "300")
                .execute().containerEvents();
    }

    private static List<String> failures(Events events) {
        return events.failed().stream().map(Event::getPayload).map(payload -> String.valueOf(payload.orElse(null)))
                .toList();
    }

    @Test
    void aCleanClassPasses() {
        assertThat(failures(run(Clean.class))).isEmpty();
    }

    @Test
    void anOpenHandleFailsTheClass() {
        try {
            assertThat(failures(run(LeavesAHandle.class))).singleElement().asString().contains("open handle")
                    .contains("current");
        } finally {
            LEAKED_HANDLE.get().close();
        }
    }

    @Test
    void aThreadLeftInAnotherNamespaceFailsTheClass() {
        try {
            assertThat(failures(run(LeavesAStrayThread.class))).singleElement().asString()
                    .contains("nt-stray").contains("outside this JVM's namespaces").contains("net");
        } finally {
            RELEASE_STRAY.countDown();
        }
    }

    @Test
    void aThreadLeftInAPrivateMountNamespaceFailsTheClass() {
        try {
            assertThat(failures(run(LeavesAThreadInAMountNamespace.class))).singleElement().asString()
                    .contains("nt-mnt-stray").contains("outside this JVM's namespaces").contains("mnt");
        } finally {
            RELEASE_MOUNT_STRAY.countDown();
        }
    }

    @Test
    void aNamedNamespaceLeftInTheRunDirFailsTheClass() {
        try {
            assertThat(failures(run(LeavesANamedNamespace.class))).singleElement().asString()
                    .contains("run-dir entry").contains(LEAKED_NAME).contains("mount on");
        } finally {
            Netns.deleteNamed(LEAKED_NAME);
        }
    }

    static class Clean {
        @Test
        void closesWhatItOpens() {
            String name = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            Netns.newNamed(name).close();
            Netns.deleteNamed(name);
            Netns.get().close();
        }
    }

    static class LeavesAHandle {
        @Test
        void opensAndKeeps() {
            LEAKED_HANDLE.set(Netns.get());
        }
    }

    static class LeavesAStrayThread {
        @Test
        void startsAThreadThatMoves() throws Exception {
            CountDownLatch moved = new CountDownLatch(1);
            NsHandle other = new NamespaceTemplate().create();
            Thread stray = new Thread(() -> {
                Netns.set(other);
                other.close();
                moved.countDown();
                try {
                    RELEASE_STRAY.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "nt-stray");
            stray.setDaemon(true);
            stray.start();
            moved.await();
        }
    }

    static class LeavesAThreadInAMountNamespace {
        @Test
        void startsAThreadThatUnsharesItsMountNamespace() throws Exception {
            CountDownLatch moved = new CountDownLatch(1);
            Thread stray = new Thread(() -> {
                Syscalls.unshare(NamespaceType.MNT); // works on one thread: it unshares its filesystem data too
                moved.countDown();
                try {
                    RELEASE_MOUNT_STRAY.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "nt-mnt-stray");
            stray.setDaemon(true);
            stray.start();
            moved.await();
        }
    }

    static class LeavesANamedNamespace {
        @Test
        void createsAndKeeps() {
            Netns.newNamed(LEAKED_NAME).close();
        }
    }
}
