package dev.netns.sample.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class ContainerCatalogTest {

    @TempDir
    Path dir;

    @Test
    void withoutDockerReferencesTheListSaysWhy() {
        ContainerCatalog catalog = new ContainerCatalog(new StaticListableBeanFactory().getBeanProvider(DockerClient.class),
                Clock.systemUTC());
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
        ContainerCatalog catalog = new ContainerCatalog(beans.getBeanProvider(DockerClient.class), Clock.systemUTC());
        long start = System.nanoTime();
        ContainerList first = catalog.list();
        ContainerList second = catalog.list();
        assertThat(first.available()).isFalse();
        assertThat(first.error()).startsWith("No Docker engine answers");
        assertThat(second.error()).isEqualTo(first.error());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void dockerIsOnByDefaultOnlyWhereAnEngineCanBe() {
        assertThat(DockerDefaults.engineMayAnswer(null, dir.resolve("missing.sock"))).isFalse();
        assertThat(DockerDefaults.engineMayAnswer("tcp://127.0.0.1:2375", dir.resolve("missing.sock"))).isTrue();
        assertThat(DockerDefaults.engineMayAnswer(null, dir)).isTrue();
    }
}
