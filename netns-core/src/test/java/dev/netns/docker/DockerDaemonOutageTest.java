package dev.netns.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netns.NamespaceUnavailableException;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.testsupport.DockerContainers;
import dev.netns.testsupport.Figures;
import dev.netns.testsupport.PrivateDockerd;
import dev.netns.testsupport.RequiresDocker;
import dev.netns.testsupport.RequiresPrivileges;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A daemon of the test's own, stopped or killed and started again by its PID: the shared engine is
 * never touched.
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
                containers.loadTestImage();
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
                    long unavailableMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                    assertThat(unavailableMillis).isLessThan(5_000);

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
                    Figures.print("fault docker-daemon-stopped", "injected", 1, "unavailable-ms-for-two-lookups", unavailableMillis,
                            "recovered", 1);
                }
            } finally {
                if (daemon.pid() > 0) {
                    containers.removeAll();
                }
            }
        }
    }

    @Test
    void aKilledDaemonIsUnavailableQuicklyFullIdsStillResolveAndResolutionResumesWhenItIsRestarted() throws Exception {
        try (PrivateDockerd daemon = new PrivateDockerd()) {
            daemon.start();
            DockerContainers containers = DockerContainers.on(daemon);
            try {
                containers.loadTestImage();
                String name = DockerContainers.newName();
                String id = containers.run(name);
                int pid = containers.pid(id);
                try (DockerNamespaceResolver resolver = DockerNamespaceResolver.builder().dockerHost(daemon.host()).build()) {
                    try (NsHandle resolved = resolver.resolve("docker:" + name); NsHandle expected = Netns.fromPid(pid)) {
                        assertThat(resolved.equal(expected)).isTrue();
                    }
                    await().atMost(Duration.ofSeconds(20)).until(resolver::watchingEvents);

                    long daemonPid = daemon.pid();
                    daemon.kill(); // SIGKILL: no shutdown, the container keeps running under its shim
                    assertThat(ProcessHandle.of(daemonPid)).isEmpty();
                    assertThat(ProcessHandle.of(pid)).as("the container's process").isPresent();
                    // Until the resolver sees its event stream break, names may still come from the cache:
                    // rightly, the container still runs. Then they need the daemon, and fail fast without it.
                    long killed = System.nanoTime();
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> !resolver.watchingEvents());
                    long noticedMillis = Duration.ofNanos(System.nanoTime() - killed).toMillis();
                    long start = System.nanoTime();
                    assertThatThrownBy(() -> resolver.resolve("docker:" + name))
                            .isInstanceOf(NamespaceUnavailableException.class)
                            .hasMessageContaining(daemon.host());
                    long unavailableMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                    assertThat(unavailableMillis).isLessThan(5_000);
                    // A full id is answered from the cache while the process it saw is alive: no daemon needed.
                    try (NsHandle resolved = resolver.resolve("docker:" + id); NsHandle expected = Netns.fromPid(pid)) {
                        assertThat(resolved.equal(expected)).isTrue();
                    }

                    daemon.start();
                    if (!Boolean.TRUE.equals(containers.inspect(id).getState().getRunning())) {
                        containers.start(id); // without live-restore, the restarted daemon stops what it finds running
                    }
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                            .ignoreException(NamespaceUnavailableException.class) // remembered for a moment
                            .untilAsserted(() -> {
                                try (NsHandle resolved = resolver.resolve("docker:" + name);
                                        NsHandle expected = Netns.fromPid(containers.pid(id))) {
                                    assertThat(resolved.equal(expected)).isTrue();
                                }
                            });
                    await().atMost(Duration.ofSeconds(20)).until(resolver::watchingEvents);
                    Figures.print("fault docker-daemon-sigkill", "injected", 1, "events-down-noticed-ms", noticedMillis,
                            "unavailable-ms", unavailableMillis, "full-id-resolved-while-down", 1, "recovered", 1);
                }
            } finally {
                if (daemon.pid() > 0) {
                    containers.removeAll();
                }
            }
        }
    }
}
