package dev.netns.sample.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netns.HandleInfo;
import dev.netns.NamedNamespaceEvent;
import dev.netns.NamespaceTemplate;
import dev.netns.sample.SampleApplication;
import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.EventStreamClient;
import dev.netns.sample.testsupport.EventStreamClient.Event;
import dev.netns.testsupport.Commands;
import dev.netns.test.EnabledIfNetnsPrivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/namespaces/events} in the real application on a random port: names that
 * {@code ip netns} adds and deletes in a child process arrive as server-sent events within a
 * second, in order, to every subscriber; the request guard applies; the number of streams is
 * bounded; a client too slow to read neither holds up the others nor the watch thread; closing the
 * application completes the streams instead of waiting for them.
 */
@EnabledIfNetnsPrivileged
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "sample.events.max-subscribers=3", "sample.events.heartbeat=200ms" })
class NamespaceEventsServerTest {

    private static final String PATH = "/api/namespaces/events";

    @LocalServerPort
    int port;

    @Autowired
    NamespaceEventStreams streams;

    @Autowired
    NamespaceTemplate template;

    @Autowired
    ApplicationEventPublisher publisher;

    private final String tag = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final List<EventStreamClient> clients = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (EventStreamClient client : clients) {
            client.close();
        }
        for (String suffix : List.of("-a", "-b")) {
            if (Files.exists(Path.of("/run/netns", tag + suffix))) {
                Commands.run(List.of("ip", "netns", "del", tag + suffix));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.subscribers() == 0);
    }

    private EventStreamClient subscribe() throws Exception {
        EventStreamClient client = new EventStreamClient(port, PATH, Map.of());
        clients.add(client);
        assertThat(client.status()).as(client.head()).isEqualTo(200);
        assertThat(client.head()).containsIgnoringCase("Content-Type: text/event-stream");
        Event ready = client.next(Duration.ofSeconds(10));
        assertThat(ready).isNotNull();
        assertThat(ready.type()).isEqualTo("ready");
        return client;
    }

    @Test
    void namesAddedAndDeletedByIpNetnsInAChildProcessArriveWithinASecondInOrder() throws Exception {
        EventStreamClient first = subscribe();
        EventStreamClient second = subscribe();
        List<HandleInfo> handlesBefore = template.runtime().openHandles();
        String a = tag + "-a";
        String b = tag + "-b";
        Process child = new ProcessBuilder("sh", "-c", "ip netns add " + a + " && ip netns add " + b + " && ip netns del " + a
                + " && ip netns del " + b).redirectErrorStream(true).start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long exited = System.nanoTime();
        assertThat(child.exitValue()).as(new String(child.getInputStream().readAllBytes())).isZero();
        List<String> expected = List.of("ADDED " + a, "ADDED " + b, "DELETED " + a, "DELETED " + b);
        for (EventStreamClient client : List.of(first, second)) {
            List<String> seen = new ArrayList<>();
            long lastId = 0;
            long lastArrival = exited;
            while (seen.size() < expected.size()) {
                Event event = client.next(Duration.ofSeconds(5));
                assertThat(event).as("events so far: %s", seen).isNotNull().isNotEqualTo(EventStreamClient.END);
                assertThat(event.type()).isEqualTo("namespace");
                assertThat(Long.parseLong(event.id())).as("ids increase").isGreaterThan(lastId);
                lastId = Long.parseLong(event.id());
                JsonNode data = ApiClient.JSON.readTree(event.data());
                if (data.get("name").asString().startsWith(tag)) { // other tests on this machine make names too
                    seen.add(data.get("kind").asString() + " " + data.get("name").asString());
                    lastArrival = Math.max(lastArrival, event.arrivedNanos());
                }
            }
            assertThat(seen).isEqualTo(expected);
            assertThat(Duration.ofNanos(lastArrival - exited)).as("the last event after `ip netns del` ended")
                    .isLessThan(Duration.ofSeconds(1));
        }
        // an event opened nothing and pinned nothing
        assertThat(template.runtime().openHandles()).isEqualTo(handlesBefore);
        assertThat(template.executors().executors()).noneMatch(executor -> executor.label().startsWith(tag));
    }

    @Test
    void theRequestGuardAppliesAndAPageOfAnotherSiteMayNotSubscribe() throws Exception {
        ApiClient api = new ApiClient(port);
        ApiClient.Response foreignHost = api.raw("GET", PATH, Map.of("Host", "attacker.example:" + port,
                "Accept", "text/event-stream"), "");
        assertThat(foreignHost.status()).isEqualTo(403);
        assertThat(foreignHost.text()).contains("Host not allowed");
        ApiClient.Response crossSite = api.raw("GET", PATH, Map.of("Host", "127.0.0.1:" + port, "Accept", "text/event-stream",
                "Sec-Fetch-Site", "cross-site"), "");
        assertThat(crossSite.status()).as(crossSite.text()).isEqualTo(403);
        assertThat(crossSite.text()).contains("another site");
        assertThat(streams.subscribers()).isZero();
    }

    @Test
    void atMostTheConfiguredNumberOfStreamsAndAPlaceIsFreedWhenAClientLeaves() throws Exception {
        EventStreamClient leaving = subscribe();
        subscribe();
        subscribe();
        EventStreamClient refused = new EventStreamClient(port, PATH, Map.of());
        clients.add(refused);
        assertThat(refused.status()).as(refused.head()).isEqualTo(503);
        assertThat(streams.subscribers()).isEqualTo(3);
        leaving.close(); // noticed at the next heartbeat
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.subscribers() == 2);
        subscribe();
    }

    @Test
    void aClientTooSlowToReadIsDroppedWithoutHoldingUpTheWatchThreadOrTheOthers() throws Exception {
        EventStreamClient stalled = EventStreamClient.stalled(port, PATH);
        clients.add(stalled);
        EventStreamClient reader = subscribe();
        String fat = tag + "-" + "x".repeat(4000); // 4 kB an event: the stalled socket's buffers fill quickly
        int published = 0;
        for (int batch = 0; batch < 6; batch++) {
            for (int i = 0; i < 500; i++) {
                // published as the starter's watch does: this thread is the watch thread here, it must never wait
                publisher.publishEvent(new NamedNamespaceEvent(NamedNamespaceEvent.Kind.ADDED, fat + published++));
            }
            for (int seen = 0; seen < 500; ) {
                Event event = reader.next(Duration.ofSeconds(10));
                assertThat(event).isNotNull().isNotEqualTo(EventStreamClient.END);
                if (event.type().equals("namespace") && event.data().contains(tag)) {
                    assertThat(event.data()).contains("\"" + fat + (published - 500 + seen) + "\"");
                    seen++;
                }
            }
        }
        // the stalled client, reading at last, finds its stream ended early: it was dropped
        stalled.startReading();
        int stalledSaw = 0;
        for (Event event = stalled.next(Duration.ofSeconds(30)); event != EventStreamClient.END;
                event = stalled.next(Duration.ofSeconds(30))) {
            assertThat(event).as("the dropped stream ends").isNotNull();
            stalledSaw += event.type().equals("namespace") ? 1 : 0;
        }
        assertThat(stalledSaw).isLessThan(published);
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.subscribers() == 1);
    }

    @Test
    void closingTheApplicationCompletesItsStreamsAndWaitsForNone() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.jmx.enabled=false").run();
        int appPort = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        EventStreamClient client = new EventStreamClient(appPort, PATH, Map.of());
        clients.add(client);
        assertThat(client.next(Duration.ofSeconds(10)).type()).isEqualTo("ready");
        long start = System.nanoTime();
        app.close();
        // without completing the stream, graceful shutdown would wait for it (30 s by default)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        Event last = client.next(Duration.ofSeconds(5));
        while (last != null && last != EventStreamClient.END) {
            last = client.next(Duration.ofSeconds(5));
        }
        assertThat(last).as("the stream ended").isSameAs(EventStreamClient.END);
    }
}
