package dev.netns.sample.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.netns.spring.boot.autoconfigure.NetnsProperties;
import dev.netns.testsupport.RequiresDocker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
        try (ServerSocket engine = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(engine.accept()); // read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "nt-hung-engine");
            acceptor.setDaemon(true);
            acceptor.start();
            try (ContainerCatalog catalog = new ContainerCatalog(listingClient("tcp://127.0.0.1:" + engine.getLocalPort()),
                    Clock.systemUTC())) {
                long start = System.nanoTime();
                ContainerList first = catalog.list();
                Duration firstTook = Duration.ofNanos(System.nanoTime() - start);
                assertThat(first.available()).isFalse();
                assertThat(first.error()).isEqualTo("No Docker engine answers: Read timed out");
                assertThat(firstTook).isGreaterThanOrEqualTo(ANSWER_WITHIN).isLessThan(Duration.ofSeconds(5));
                assertThat(held).hasSize(1); // the engine was really asked

                ContainerList second = catalog.list();
                assertThat(second.error()).isEqualTo(first.error());
                assertThat(held).hasSize(1); // remembered, not asked again
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
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
        try (EngineRelay relay = new EngineRelay(localEngine())) {
            SettableClock clock = new SettableClock();
            try (ContainerCatalog catalog = new ContainerCatalog(listingClient("tcp://127.0.0.1:" + relay.port()), clock)) {
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

    /**
     * A loopback TCP relay to the local engine's unix socket that holds its first connection
     * without reading or answering, and relays every later one.
     */
    private static final class EngineRelay implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

        EngineRelay(URI engine) throws IOException {
            assertThat(engine.getScheme()).as("the relay needs a unix socket engine").isEqualTo("unix");
            UnixDomainSocketAddress target = UnixDomainSocketAddress.of(engine.getPath());
            Thread acceptor = new Thread(() -> {
                try {
                    open.add(server.accept()); // held: read nothing, answer nothing
                    while (true) {
                        Socket client = server.accept();
                        SocketChannel upstream = SocketChannel.open(target);
                        open.add(client);
                        open.add(upstream);
                        // the unix channel itself, not its stream adapters, which share one lock for both directions
                        pump(Channels.newChannel(client.getInputStream()), upstream);
                        pump(upstream, Channels.newChannel(client.getOutputStream()));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "nt-engine-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(ReadableByteChannel from, WritableByteChannel to) {
            Thread pump = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                try {
                    while (from.read(buffer) >= 0) {
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            to.write(buffer);
                        }
                        buffer.clear();
                    }
                } catch (IOException closed) {
                    // either side is gone
                }
            }, "nt-engine-relay-pump");
            pump.setDaemon(true);
            pump.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (AutoCloseable each : open) {
                each.close();
            }
        }
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
