package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.Fds;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NamespaceTemplate#start}'s Process held against the JDK's own, the oracle in each test. */
@RequiresPrivileges
class ProcessStartAttackTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final NamespaceTemplate template = new NamespaceTemplate();

    @AfterEach
    void closeExecutors() {
        template.executors().close();
    }

    private static long pipes() {
        return Fds.targets().stream().filter(target -> target.startsWith("pipe:[")).count();
    }

    @Test
    void toHandleChildrenAndInfoWorkAfterExitAsTheJdks() throws Exception {
        String name = namespaces.ipNetnsAdd();
        Process jdk = new ProcessBuilder("true").start();
        jdk.waitFor();
        assertThat(jdk.toHandle().isAlive()).isFalse();
        assertThat(jdk.children()).isEmpty();

        Process ours = template.start(name, new ProcessBuilder("true"));
        assertThat(ours.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ours.toHandle().pid()).isEqualTo(ours.pid());
        assertThat(ours.toHandle().isAlive()).isFalse();
        assertThat(ours.children()).isEmpty();
        assertThat(ours.descendants()).isEmpty();
        assertThat(ours.info().command().isPresent()).isEqualTo(jdk.info().command().isPresent());
    }

    @Test
    void anExitedProcessWhoseStreamsAreNeverClosedHoldsNoPipeAsTheJdksDoesNot() throws Exception {
        String name = namespaces.ipNetnsAdd();
        template.start(name, new ProcessBuilder("true")).waitFor();
        List<Process> keep = new ArrayList<>(); // reachable: no GC may close them for us
        long jdkBefore = pipes();
        for (int i = 0; i < 50; i++) {
            Process process = new ProcessBuilder("true").start();
            process.waitFor();
            keep.add(process);
        }
        Thread.sleep(500);
        assertThat(pipes() - jdkBefore).as("the JDK's pipes after waitFor").isLessThanOrEqualTo(3);

        long before = pipes();
        for (int i = 0; i < 50; i++) {
            Process process = template.start(name, new ProcessBuilder("true"));
            process.waitFor();
            keep.add(process);
        }
        Thread.sleep(500);
        assertThat(pipes() - before).as("our pipes after waitFor").isLessThanOrEqualTo(3);
        assertThat(keep).hasSize(100);
    }
}
