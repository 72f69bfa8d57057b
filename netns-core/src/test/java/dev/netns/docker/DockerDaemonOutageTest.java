package dev.netns.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netns.NamespaceUnavailableException;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.testsupport.DockerContainers;
import dev.netns.testsupport.PrivateDockerd;
import dev.netns.testsupport.RequiresDocker;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A daemon of the test's own, stopped and started by its PID: the shared engine is never touched.
 */
@RequiresPrivileges
@RequiresDocker
class DockerDaemonOutageTest {

    @Test
    void aStoppedDaemonIsUnavailableQuicklyAndResolutionResumesWhenItIsBack() throws Exception {
        try (PrivateDockerd daemon = new PrivateDockerd()) {
            daemon.start();
            DockerContainers containers = DockerContainers.on(daemon);
            try {
                try (InputStream image = DockerContainers.defaultClient().saveImageCmd(DockerContainers.IMAGE).exec()) {
                    containers.client().loadImageCmd(image).exec();
                }
                String name = DockerContainers.newName();
                String id = containers.run(name);
                try (DockerNamespaceResolver resolver = DockerNamespaceResolver.builder().dockerHost(daemon.host()).build()) {
                    try (NsHandle resolved = resolver.resolve("docker:" + name);
                            NsHandle expected = Netns.fromPid(containers.pid(id))) {
                        assertThat(resolved.equal(expected)).isTrue();
                    }

                    daemon.stop();
                    long start = System.nanoTime();
                    assertThatThrownBy(() -> resolver.resolve("docker:" + name))
                            .isInstanceOf(NamespaceUnavailableException.class)
                            .hasMessageContaining(daemon.host());
                    assertThatThrownBy(() -> resolver.resolve("docker:" + id))
                            .isInstanceOf(NamespaceUnavailableException.class);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

                    daemon.start();
                    containers.start(id); // the daemon stopped it on its way down
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                            .ignoreException(NamespaceUnavailableException.class) // remembered for a moment
                            .untilAsserted(() -> {
                                try (NsHandle resolved = resolver.resolve("docker:" + name);
                                        NsHandle expected = Netns.fromPid(containers.pid(id))) {
                                    assertThat(resolved.equal(expected)).isTrue();
                                }
                            });
                    await().atMost(Duration.ofSeconds(20)).until(resolver::watchingEvents);
                }
            } finally {
                if (daemon.pid() > 0) {
                    containers.removeAll();
                }
            }
        }
    }
}
