package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPrivileges
class DefaultNamespaceResolverTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final DefaultNamespaceResolver resolver = new DefaultNamespaceResolver();

    @Test
    void namesAndPathsResolveLikeFromNameAndFromPath() {
        String name = namespaces.ipNetnsAdd();
        try (NsHandle expected = Netns.fromName(name); NsHandle host = Netns.get();
                NsHandle bare = resolver.resolve(name); NsHandle named = resolver.resolve("name:" + name);
                NsHandle path = resolver.resolve("path:" + Netns.runDirectory().resolve(name))) {
            assertThat(expected.equal(host)).isFalse();
            for (NsHandle resolved : List.of(bare, named, path)) {
                assertThat(resolved.equal(expected)).as("%s is %s", resolved.source(), expected).isTrue();
            }
            assertThat(named.source()).isEqualTo("name:" + name);
        }
    }

    @Test
    void aPidResolvesToItsProcessNamespace() throws Exception {
        String name = namespaces.ipNetnsAdd();
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", name, "sleep", "60").start();
        try (NsHandle target = Netns.fromName(name)) {
            // ip netns exec enters the namespace, then execs sleep in the same process.
            Awaitility.await().until(() -> {
                try (NsHandle now = Netns.fromPid((int) sleeper.pid())) {
                    return now.equal(target);
                }
            });
            try (NsHandle resolved = resolver.resolve("pid:" + sleeper.pid());
                    NsHandle expected = Netns.fromPid((int) sleeper.pid())) {
                assertThat(resolved.equal(expected)).isTrue();
                assertThat(resolved.equal(target)).isTrue();
            }
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void aThreadResolvesToThatThreadsNamespaceNotItsProcesss() throws Exception {
        String name = namespaces.ipNetnsAdd();
        int pid = (int) ProcessHandle.current().pid();
        try (NsHandle host = Netns.get(); NsHandle target = Netns.fromName(name)) {
            CountDownLatch moved = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger tid = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    Netns.set(target);
                    try {
                        tid.set(Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
                        moved.countDown();
                        release.await();
                    } finally {
                        Netns.set(host);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                    moved.countDown();
                }
            }, "nt-resolver-thread");
            thread.start();
            try {
                moved.await();
                assertThat(failure.get()).isNull();
                try (NsHandle resolved = resolver.resolve("thread:" + pid + "/" + tid.get());
                        NsHandle expected = Netns.fromThread(pid, tid.get()); NsHandle process = resolver.resolve("pid:" + pid)) {
                    assertThat(resolved.equal(expected)).isTrue();
                    assertThat(resolved.equal(target)).isTrue();
                    assertThat(process.equal(host)).isTrue();
                }
            } finally {
                release.countDown();
                thread.join();
            }
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void currentIsTheCallingThreadsNamespaceAndHostThisJvmsOwn() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NsHandle host = Netns.fromPath("/proc/self/ns/net"); NsHandle target = Netns.fromName(name)) {
            try (NsHandle current = resolver.resolve("current"); NsHandle get = Netns.get()) {
                assertThat(current.equal(get)).isTrue();
                assertThat(current.equal(host)).isTrue();
            }
            OnThread.call(() -> {
                Netns.set(target);
                try (NsHandle current = resolver.resolve("current"); NsHandle get = Netns.get();
                        NsHandle resolvedHost = resolver.resolve("host")) {
                    assertThat(current.equal(get)).isTrue();
                    assertThat(current.equal(target)).isTrue();
                    assertThat(resolvedHost.equal(host)).as("host is the JVM's, not the calling thread's").isTrue();
                } finally {
                    Netns.set(host);
                }
                return null;
            });
        }
    }

    @Test
    void dockerWithoutADockerResolverNamesTheArtifactsToAdd() {
        assertThat(resolver.schemes()).containsExactlyInAnyOrder("name", "path", "pid", "thread", "host", "current");
        assertThatThrownBy(() -> resolver.resolve("docker:x")).isInstanceOf(NamespaceUnavailableException.class)
                .hasMessageContaining("docker:x")
                .hasMessageContaining("com.github.docker-java:docker-java-core")
                .hasMessageContaining("docker-java-transport-zerodep")
                .hasMessageContaining("DockerNamespaceResolver");
    }

    @Test
    void anExtraResolverServesItsSchemeButNeverReplacesABuiltInOne() {
        String name = namespaces.ipNetnsAdd();
        String other = namespaces.ipNetnsAdd();
        // A stand-in for the docker resolver: container "web" is namespace `name`.
        RecordingResolver docker = new RecordingResolver(Set.of("docker"), name);
        RecordingResolver greedy = new RecordingResolver(Set.of("name", "docker"), other);
        DefaultNamespaceResolver withExtras = new DefaultNamespaceResolver(List.of(docker, greedy));

        assertThat(withExtras.schemes()).contains("docker", "name");
        try (NsHandle resolved = withExtras.resolve("docker:web"); NsHandle expected = Netns.fromName(name);
                NsHandle byName = withExtras.resolve("name:" + other); NsHandle expectedOther = Netns.fromName(other)) {
            assertThat(resolved.equal(expected)).isTrue();
            assertThat(docker.asked).containsExactly(NamespaceReference.parse("docker:web"));
            assertThat(byName.equal(expectedOther)).isTrue();
            assertThat(greedy.asked).as("the first resolver of a scheme wins; built-in schemes stay built in").isEmpty();
        }
    }

    /** Serves its schemes with one named namespace and records what it was asked. */
    private static final class RecordingResolver implements NamespaceResolver {

        private final Set<String> schemes;
        private final String namespace;
        final List<NamespaceReference> asked = new ArrayList<>();

        RecordingResolver(Set<String> schemes, String namespace) {
            this.schemes = schemes;
            this.namespace = namespace;
        }

        @Override
        public NsHandle resolve(NamespaceReference reference) {
            asked.add(reference);
            return Netns.fromName(namespace);
        }

        @Override
        public Set<String> schemes() {
            return schemes;
        }
    }
}
