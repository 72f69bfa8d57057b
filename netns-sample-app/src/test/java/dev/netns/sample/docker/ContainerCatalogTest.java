package dev.netns.sample.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.netns.spring.boot.autoconfigure.NetnsProperties;
import dev.netns.testsupport.EngineSockets;
import dev.netns.testsupport.RequiresDocker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ContainerCatalogTest {

    private static final Duration ANSWER_WITHIN = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void withoutDockerReferencesTheListSaysWhy() {
        ContainerCatalog catalog = new ContainerCatalog(null, Clock.systemUTC());
        ContainerList list = catalog.list();
        assertThat(list.available()).isFalse();
        assertThat(list.items()).isEmpty();
        assertThat(list.error()).contains("netns.docker.enabled=false");
    }

    @Test
    void anEngineThatDoesNotAnswerGivesAnEmptyListWithTheReasonQuickly() throws Exception {
        try (ContainerCatalog catalog = new ContainerCatalog(listingClient("unix://" + dir.resolve("no-engine.sock")),
                Clock.systemUTC())) {
            long start = System.nanoTime();
            ContainerList first = catalog.list();
            ContainerList second = catalog.list();
            assertThat(first.available()).isFalse();
            assertThat(first.error()).startsWith("No Docker engine answers");
            assertThat(second.error()).isEqualTo(first.error());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** An engine that takes the connection and the request and never answers. */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // before the bound, the listing hung for good
    void anEngineThatHangsIsGivenUpOnAtTheBoundAndNotAskedAgainMeanwhile() throws Exception {
        try (EngineSockets engine = EngineSockets.silentTcp();
                ContainerCatalog catalog = new ContainerCatalog(listingClient(engine.host()), Clock.systemUTC())) {
            long start = System.nanoTime();
            ContainerList first = catalog.list();
            Duration firstTook = Duration.ofNanos(System.nanoTime() - start);
            assertThat(first.available()).isFalse();
            assertThat(first.error()).isEqualTo("No Docker engine answers: Read timed out");
            assertThat(firstTook).isGreaterThanOrEqualTo(ANSWER_WITHIN).isLessThan(Duration.ofSeconds(5));
            assertThat(engine.accepted()).isEqualTo(1); // the engine was really asked

            ContainerList second = catalog.list();
            assertThat(second.error()).isEqualTo(first.error());
            assertThat(engine.accepted()).isEqualTo(1); // remembered, not asked again
        }
    }

    /** A caller whose thread is interrupted is not an engine that fails: the next caller gets the list. */
    @Test
    @RequiresDocker
    void anInterruptedCallerDoesNotMakeTheEngineLookDeadToTheNextOne() throws Exception {
        try (ContainerCatalog catalog = new ContainerCatalog(listingClient(localEngine().toString()), Clock.systemUTC())) {
            boolean stillInterrupted;
            Thread.currentThread().interrupt();
            try {
                catalog.list();
            } finally {
                stillInterrupted = Thread.interrupted();
            }
            assertThat(stillInterrupted).as("the caller's interrupt is kept").isTrue();

            ContainerList next = catalog.list();
            assertThat(next.error()).isNull();
            assertThat(next.available()).isTrue();
        }
    }

    /**
     * The path to the engine drops the first connection on the floor (no answer, no reset: a TCP
     * peer gone quiet), then the engine answers again: once the failure is forgotten the list is
     * back, not stuck behind the lost listing for as long as that connection lives.
     */
    @Test
    @RequiresDocker
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aListingLostOnADeadConnectionDoesNotKeepTheListDownOnceTheEngineAnswersAgain() throws Exception {
        try (EngineSockets relay = EngineSockets.tcpTo(localEngine().toString(), 1)) {
            SettableClock clock = new SettableClock();
            try (ContainerCatalog catalog = new ContainerCatalog(listingClient(relay.host()), clock)) {
                ContainerList first = catalog.list();
                assertThat(first.available()).isFalse();
                assertThat(first.error()).startsWith("No Docker engine answers");

                clock.advance(ContainerCatalog.FAILURE_MEMORY.plusSeconds(1));
                ContainerList later = catalog.list();
                assertThat(later.error()).isNull();
                assertThat(later.available()).isTrue();
            }
        }
    }

    /** The catalog's client, as the sample makes it, for {@code host} with a 1 s connect timeout and a response timeout of {@link #ANSWER_WITHIN}. */
    private static DockerClient listingClient(String host) {
        NetnsProperties.Docker engine = new NetnsProperties.Docker();
        engine.setHost(host);
        engine.setConnectTimeout(Duration.ofSeconds(1));
        engine.setResponseTimeout(ANSWER_WITHIN);
        return ContainerCatalog.listingClient(engine);
    }

    /** The engine the Docker tests use (DOCKER_HOST or the default socket). */
    private static URI localEngine() {
        return DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost();
    }

    /** A clock the test moves on. */
    private static final class SettableClock extends Clock {

        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void dockerIsOnByDefaultOnlyWhereAnEngineCanBe() {
        assertThat(DockerDefaults.engineMayAnswer(null, dir.resolve("missing.sock"))).isFalse();
        assertThat(DockerDefaults.engineMayAnswer("tcp://127.0.0.1:2375", dir.resolve("missing.sock"))).isTrue();
        assertThat(DockerDefaults.engineMayAnswer(null, dir)).isTrue();
    }
}
