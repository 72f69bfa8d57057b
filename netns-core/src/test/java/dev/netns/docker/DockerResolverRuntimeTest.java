package dev.netns.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netns.HandleInfo;
import dev.netns.NamespaceResolverProvider;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.testsupport.DockerContainers;
import dev.netns.testsupport.RequiresDocker;
import dev.netns.testsupport.RequiresPrivileges;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Docker lookups open their handles through a runtime: the resolver's, or the default one for {@link Netns#fromDocker}. */
@RequiresPrivileges
@RequiresDocker
class DockerResolverRuntimeTest {

    @RegisterExtension
    final DockerContainers containers = new DockerContainers();

    @Test
    void aResolverOfARuntimeOpensItsHandlesThroughThatRuntimeOnly() {
        String name = DockerContainers.newName();
        containers.run(name);
        try (NetnsRuntime runtime = NetnsRuntime.builder().build();
                DockerNamespaceResolver resolver = new DockerNamespaceResolver(runtime);
                NsHandle handle = resolver.resolve("docker:" + name)) {
            assertThat(runtime.openHandles()).extracting(HandleInfo::source).containsExactly("docker:" + name);
            assertThat(Netns.openHandles()).extracting(HandleInfo::source).doesNotContain("docker:" + name);
        }
    }

    @Test
    void aRuntimesOwnDockerLookupsOpenThroughItAndEndWithIt() {
        String name = DockerContainers.newName();
        containers.run(name);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        NetnsRuntime runtime = NetnsRuntime.builder().build();
        try (NsHandle handle = runtime.fromDocker(name)) {
            assertThat(runtime.openHandles()).extracting(HandleInfo::source).containsExactly("docker:" + name);
            assertThat(Netns.openHandles()).extracting(HandleInfo::source).doesNotContain("docker:" + name);
        }
        List<Thread> started = Thread.getAllStackTraces().keySet().stream().filter(thread -> !before.contains(thread)).toList();
        assertThat(started).as("threads of the runtime's Docker resolver (its event stream)").isNotEmpty();

        runtime.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(started).noneMatch(Thread::isAlive));
        assertThatThrownBy(() -> runtime.fromDocker(name)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void fromDockerFindsTheDockerResolverAsAServiceAndOpensThroughTheDefaultRuntime() {
        assertThat(ServiceLoader.load(NamespaceResolverProvider.class, NamespaceResolverProvider.class.getClassLoader()))
                .anyMatch(provider -> provider instanceof DockerResolverProvider && provider.scheme().equals("docker"));
        String name = DockerContainers.newName();
        String id = containers.run(name);
        try (NsHandle handle = Netns.fromDocker(name); NsHandle expected = Netns.fromPid(containers.pid(id))) {
            assertThat(handle.equal(expected)).isTrue();
            assertThat(NetnsRuntime.defaultRuntime().openHandles())
                    .anyMatch(info -> info.fd() == handle.fd() && info.source().equals("docker:" + name));
        }
    }
}
