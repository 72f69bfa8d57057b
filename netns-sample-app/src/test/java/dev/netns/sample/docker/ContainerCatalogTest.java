package dev.netns.sample.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class ContainerCatalogTest {

    private static final Duration ANSWER_WITHIN = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void withoutDockerReferencesTheListSaysWhy() {
        ContainerCatalog catalog = new ContainerCatalog(new StaticListableBeanFactory().getBeanProvider(DockerClient.class),
                Clock.systemUTC(), ANSWER_WITHIN);
        ContainerList list = catalog.list();
        assertThat(list.available()).isFalse();
        assertThat(list.items()).isEmpty();
        assertThat(list.error()).contains("netns.docker.enabled=false");
    }

    @Test
    void anEngineThatDoesNotAnswerGivesAnEmptyListWithTheReasonQuickly() {
        String host = "unix://" + dir.resolve("no-engine.sock");
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        DockerClient client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(1)).responseTimeout(Duration.ofSeconds(1))
                .build());
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("docker", client);
        try (ContainerCatalog catalog = new ContainerCatalog(beans.getBeanProvider(DockerClient.class), Clock.systemUTC(),
                ANSWER_WITHIN)) {
            long start = System.nanoTime();
            ContainerList first = catalog.list();
            ContainerList second = catalog.list();
            assertThat(first.available()).isFalse();
            assertThat(first.error()).startsWith("No Docker engine answers");
            assertThat(second.error()).isEqualTo(first.error());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** An engine that takes the connection and the request and never answers, with a client like the starter's (no response timeout). */
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
            String host = "tcp://127.0.0.1:" + engine.getLocalPort();
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
            DockerClient client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(1)).build());
            StaticListableBeanFactory beans = new StaticListableBeanFactory();
            beans.addBean("docker", client);
            try (client; ContainerCatalog catalog = new ContainerCatalog(beans.getBeanProvider(DockerClient.class),
                    Clock.systemUTC(), ANSWER_WITHIN)) {
                long start = System.nanoTime();
                ContainerList first = catalog.list();
                Duration firstTook = Duration.ofNanos(System.nanoTime() - start);
                assertThat(first.available()).isFalse();
                assertThat(first.error()).isEqualTo("No Docker engine answers: no answer within 500 ms");
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

    @Test
    void dockerIsOnByDefaultOnlyWhereAnEngineCanBe() {
        assertThat(DockerDefaults.engineMayAnswer(null, dir.resolve("missing.sock"))).isFalse();
        assertThat(DockerDefaults.engineMayAnswer("tcp://127.0.0.1:2375", dir.resolve("missing.sock"))).isTrue();
        assertThat(DockerDefaults.engineMayAnswer(null, dir)).isTrue();
    }
}
