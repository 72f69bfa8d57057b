package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.Fds;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeakDetectionTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    @RequiresPrivileges
    void aHandleDroppedWithoutCloseIsClosedByTheCleanerAndCountedAsLeaked() {
        // A namespace of the test's own: no other fd of this JVM points at it, unlike the host's. Opened
        // through its bind mount, the fd's /proc/self/fd link reads as the mount's path.
        String name = namespaces.ipNetnsAdd();
        String target = Netns.runDirectory().resolve(name).toString();
        String source = "name:" + name;
        long leakedBefore = Netns.leakedHandles();

        openAndDrop(name, target);

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return Netns.leakedHandles() > leakedBefore && !Fds.targets().contains(target)
                    && Netns.openHandles().stream().noneMatch(info -> info.source().equals(source));
        });
        assertThat(Netns.leakedHandles()).isGreaterThan(leakedBefore);
        assertThat(Fds.targets()).doesNotContain(target);
        assertThat(Netns.openHandles()).noneMatch(info -> info.source().equals(source));
    }

    /** Opens a handle and drops it, open; nothing refers to it once this returns. */
    private static void openAndDrop(String name, String target) {
        NsHandle handle = Netns.fromName(name);
        int fd = handle.fd();
        assertThat(Fds.targets()).contains(target);
        assertThat(Netns.openHandles()).anyMatch(info -> info.fd() == fd && info.source().equals("name:" + name));
    }

    @Test
    void withStackTrackingAnOpenHandleShowsTheMethodThatOpenedItAndWithoutItNoStack(TestInfo test) {
        String method = getClass().getName() + "." + test.getTestMethod().orElseThrow().getName() + "(";
        boolean previous = NetnsRuntime.defaultRuntime().tracksStackTraces();
        try {
            Netns.trackStackTraces(true);
            try (NsHandle tracked = Netns.get()) {
                assertThat(infoOf(tracked).stackTrace()).contains(method).doesNotContain("dev.netns.internal.");
            }
            Netns.trackStackTraces(false);
            try (NsHandle untracked = Netns.get()) {
                assertThat(infoOf(untracked).stackTrace()).isNull();
            }
        } finally {
            Netns.trackStackTraces(previous);
        }
    }

    private static HandleInfo infoOf(NsHandle handle) {
        return Netns.openHandles().stream()
                .filter(info -> info.fd() == handle.fd() && info.uniqueId().equals(handle.uniqueId()))
                .findFirst().orElseThrow(() -> new AssertionError(handle + " is not in " + Netns.openHandles()));
    }
}
