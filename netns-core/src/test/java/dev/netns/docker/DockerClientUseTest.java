package dev.netns.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespaceUnavailableException;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.testsupport.DockerContainers;
import dev.netns.testsupport.EngineSockets;
import dev.netns.testsupport.PrivateDockerd;
import dev.netns.testsupport.RequiresDocker;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One client carries a resolver's lookups, its event stream and its ping: the one it was given, or
 * the one it made, which has no response timeout (it would end a quiet event stream over TCP)
 * while every request stays bounded by the resolver itself.
 */
@RequiresPrivileges
@RequiresDocker
class DockerClientUseTest {

    @RegisterExtension
    final DockerContainers containers = new DockerContainers();

    @Test
    void aGivenClientCarriesTheLookupsTheEventStreamAndThePingAndStaysOpenAfterClose() throws IOException {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        try (DockerClient counting = countingClient(DefaultDockerClientConfig.createDefaultConfigBuilder().build(), null, requests)) {
            DockerNamespaceResolver resolver = new DockerNamespaceResolver(counting);
            try (NsHandle expected = Netns.fromPid(containers.pid(id))) {
                for (int i = 0; i < 3; i++) {
                    try (NsHandle byName = resolver.resolve("docker:" + name)) {
                        assertThat(byName.equal(expected)).isTrue();
                    }
                }
            }
            resolver.ping();
            assertThat(resolver.watchingEvents()).isTrue();
            assertThat(count(requests, "inspect")).isEqualTo(1);
            assertThat(count(requests, "events")).isEqualTo(1);
            assertThat(count(requests, "ping")).isEqualTo(1);

            resolver.close();
            assertThatThrownBy(resolver::ping).isInstanceOf(IllegalStateException.class);
            counting.pingCmd().exec(); // the caller's client is still open
            assertThat(count(requests, "ping")).isEqualTo(2);
        }
    }

    @Test
    void theResolversOwnClientKeepsAQuietEventStreamOpenPastTheResponseTimeout() throws Exception {
        try (PrivateDockerd daemon = new PrivateDockerd()) {
            daemon.start(); // an engine of the test's own: no other test's containers make events there
            try (EngineSockets tcp = EngineSockets.tcpTo(daemon.host());
                    DockerNamespaceResolver resolver = DockerNamespaceResolver.builder().dockerHost(tcp.host())
                            .responseTimeout(Duration.ofMillis(500)).build()) {
                assertThatThrownBy(() -> resolver.resolve("docker:" + DockerContainers.newName()))
                        .isInstanceOf(NamespaceNotFoundException.class); // the lookup opens the stream
                assertThat(resolver.watchingEvents()).isTrue();
                Thread.sleep(2_000); // four response timeouts without an event
                assertThat(resolver.watchingEvents()).as("the event stream after a quiet spell").isTrue();
            }
        }
    }

    @Test
    void aGivenClientWithAResponseTimeoutLosesAQuietStreamAndALaterLookupReopensIt() throws Exception {
        try (PrivateDockerd daemon = new PrivateDockerd()) {
            daemon.start();
            try (EngineSockets tcp = EngineSockets.tcpTo(daemon.host());
                    DockerClient client = countingClient(DefaultDockerClientConfig.createDefaultConfigBuilder()
                            .withDockerHost(tcp.host()).build(), Duration.ofMillis(500), new ConcurrentHashMap<>());
                    DockerNamespaceResolver resolver = DockerNamespaceResolver.builder().client(client)
                            .failureMemory(Duration.ofMillis(200)).build()) {
                String missing = DockerContainers.newName();
                assertThatThrownBy(() -> resolver.resolve("docker:" + missing)).isInstanceOf(NamespaceNotFoundException.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> !resolver.watchingEvents());
                Thread.sleep(300); // past the failure memory: the next lookup may reopen the stream
                assertThatThrownBy(() -> resolver.resolve("docker:" + missing)).isInstanceOf(NamespaceNotFoundException.class);
                assertThat(resolver.watchingEvents()).as("reopened by the lookup").isTrue();
            }
        }
    }

    @Test
    void anEngineThatNeverAnswersMakesLookupsAndThePingUnavailableWithinTheirBound() throws IOException {
        try (EngineSockets silent = EngineSockets.silent();
                DockerNamespaceResolver resolver = DockerNamespaceResolver.builder().dockerHost(silent.host())
                        .connectTimeout(Duration.ofMillis(500)).responseTimeout(Duration.ofMillis(500))
                        .failureMemory(Duration.ofSeconds(30)).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> resolver.resolve("docker:" + DockerContainers.newName()))
                    .isInstanceOf(NamespaceUnavailableException.class)
                    .hasMessageContaining(silent.host())
                    .hasMessageContaining("no answer within");
            assertThatThrownBy(resolver::ping)
                    .isInstanceOf(NamespaceUnavailableException.class)
                    .hasMessageContaining("could not be reached");
            // the bound is 0.5 + 0.5 + 1 s; the event stream's start waits 0.5 s more
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    private static int count(Map<String, AtomicInteger> requests, String kind) {
        AtomicInteger count = requests.get(kind);
        return count == null ? 0 : count.get();
    }

    /** A client that counts container inspections, event streams and pings by the paths it sends. */
    private static DockerClient countingClient(DockerClientConfig config, @Nullable Duration responseTimeout,
            Map<String, AtomicInteger> requests) {
        ZerodepDockerHttpClient.Builder builder = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost());
        if (responseTimeout != null) {
            builder.responseTimeout(responseTimeout);
        }
        DockerHttpClient http = builder.build();
        DockerHttpClient counting = new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                String path = request.path();
                String kind = path.matches(".*/containers/[^/]+/json.*") ? "inspect"
                        : path.matches(".*/events.*") ? "events" : path.matches(".*/_ping.*") ? "ping" : "other";
                requests.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                return http.execute(request);
            }

            @Override
            public void close() throws IOException {
                http.close();
            }
        };
        return DockerClientImpl.getInstance(config, counting);
    }
}
