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
import dev.netns.AmbiguousNamespaceReferenceException;
import dev.netns.DefaultNamespaceResolver;
import dev.netns.ExecutorInfo;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceId;
import dev.netns.NamespaceTemplate;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespaceUnavailableException;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.testsupport.DockerContainers;
import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresDocker;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPrivileges
@RequiresDocker
class DockerNamespaceResolverTest {

    @RegisterExtension
    final DockerContainers containers = new DockerContainers();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeResolvers() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private DockerNamespaceResolver track(DockerNamespaceResolver resolver) {
        toClose.add(resolver);
        return resolver;
    }

    @Test
    void fullIdTwelveCharacterPrefixAndNameResolveToTheContainersNamespace() {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        DockerNamespaceResolver resolver = track(new DockerNamespaceResolver());
        try (NsHandle expected = Netns.fromPid(containers.pid(id));
                NsHandle byId = resolver.resolve("docker:" + id);
                NsHandle byPrefix = resolver.resolve("docker:" + id.substring(0, 12));
                NsHandle byName = resolver.resolve("docker:" + name)) {
            assertThat(byId.equal(expected)).isTrue();
            assertThat(byPrefix.equal(expected)).isTrue();
            assertThat(byName.equal(expected)).isTrue();
            assertThat(byName.source()).isEqualTo("docker:" + name);
            assertThat(byId.source()).isEqualTo("docker:" + name);
        }
    }

    @Test
    void netnsFromDockerResolvesIdsPrefixesAndNames() {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        try (NsHandle expected = Netns.fromPid(containers.pid(id));
                NsHandle byId = Netns.fromDocker(id);
                NsHandle byPrefix = Netns.fromDocker(id.substring(0, 12));
                NsHandle byName = Netns.fromDocker(name);
                NsHandle bySlashName = Netns.fromDocker("/" + name)) {
            assertThat(List.of(byId, byPrefix, byName, bySlashName)).allSatisfy(handle -> assertThat(handle.equal(expected)).isTrue());
            assertThat(byName.source()).isEqualTo("docker:" + name);
        }
        assertThatThrownBy(() -> Netns.fromDocker("nt-no-such-container-" + name.substring(3)))
                .isInstanceOf(NamespaceNotFoundException.class);
    }

    @Test
    void aPrefixSharedByTwoContainersIsAmbiguousAndTheMessageListsThem() {
        Map<Character, String> byFirstCharacter = new HashMap<>();
        String first = null;
        String second = null;
        // 17 containers guarantee two share a first hex digit; usually a handful do.
        for (int i = 0; i < 17 && second == null; i++) {
            String id = containers.create(DockerContainers.newName());
            String earlier = byFirstCharacter.putIfAbsent(id.charAt(0), id);
            if (earlier != null) {
                first = earlier;
                second = id;
            }
        }
        assertThat(second).as("two of 17 containers share a first character").isNotNull();
        String prefix = second.substring(0, 1);
        DockerNamespaceResolver resolver = track(new DockerNamespaceResolver());
        assertThatThrownBy(() -> resolver.resolve("docker:" + prefix))
                .isInstanceOf(AmbiguousNamespaceReferenceException.class)
                .hasMessageContaining("'" + prefix + "'")
                .hasMessageContaining("ambiguous")
                .hasMessageContaining(first)
                .hasMessageContaining(second);
    }

    @Test
    void aRestartedContainerResolvesToItsNewNamespaceAndListenersHearOfTheOldOne() {
        restartedContainerResolvesToItsNewNamespace(true, "die");
    }

    @Test
    void withoutEventsARestartedContainerIsCaughtByItsProcessCheck() {
        restartedContainerResolvesToItsNewNamespace(false, "process-gone");
    }

    private void restartedContainerResolvesToItsNewNamespace(boolean events, String reason) {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        DockerNamespaceResolver resolver = track(DockerNamespaceResolver.builder().events(events).build());
        List<ContainerInvalidation> invalidations = new CopyOnWriteArrayList<>();
        resolver.addInvalidationListener(invalidations::add);
        try (NsHandle before = resolver.resolve("docker:" + id)) {
            int oldPid = containers.pid(id);
            containers.restart(id);
            int newPid = containers.pid(id);
            assertThat(newPid).isNotEqualTo(oldPid);
            try (NsHandle after = resolver.resolve("docker:" + id); NsHandle expected = Netns.fromPid(newPid)) {
                assertThat(after.equal(expected)).isTrue();
                assertThat(after.equal(before)).as("the old namespace is held open, so it cannot share the new one's inode")
                        .isFalse();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(invalidations)
                    .anySatisfy(invalidation -> {
                        assertThat(invalidation.containerId()).isEqualTo(id);
                        assertThat(invalidation.name()).isEqualTo(name);
                        assertThat(invalidation.reason()).isEqualTo(reason);
                        assertThat(invalidation.namespace()).isEqualTo(before.id());
                        assertThat(invalidation.pid()).isEqualTo(oldPid);
                    }));
        }
    }

    @Test
    void repeatedLookupsAreAnsweredFromTheCacheWhileEventsAreWatched() throws IOException {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        AtomicInteger inspections = new AtomicInteger();
        try (DockerClient counting = countingClient(inspections)) {
            DockerNamespaceResolver resolver = track(new DockerNamespaceResolver(counting));
            try (NsHandle expected = Netns.fromPid(containers.pid(id))) {
                for (int i = 0; i < 5; i++) {
                    try (NsHandle byName = resolver.resolve("docker:" + name); NsHandle byId = resolver.resolve("docker:" + id)) {
                        assertThat(byName.equal(expected)).isTrue();
                        assertThat(byId.equal(expected)).isTrue();
                    }
                }
            }
            assertThat(resolver.watchingEvents()).isTrue();
            assertThat(inspections).hasValue(1);
            resolver.close();
        }
    }

    /** A client for the default engine that counts container inspections. */
    private static DockerClient countingClient(AtomicInteger inspections) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
        DockerHttpClient counting = new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                if (request.path().matches(".*/containers/[^/]+/json.*")) {
                    inspections.incrementAndGet();
                }
                return http.execute(request);
            }

            @Override
            public void close() throws IOException {
                http.close();
            }
        };
        return DockerClientImpl.getInstance(config, counting);
    }

    @Test
    void aStoppedContainerIsNotRunning() {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        DockerNamespaceResolver resolver = track(new DockerNamespaceResolver());
        resolver.resolve("docker:" + name).close();
        containers.stop(id);
        assertThatThrownBy(() -> resolver.resolve("docker:" + name))
                .isInstanceOf(NamespaceNotFoundException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("not running");
        String created = DockerContainers.newName();
        containers.create(created);
        assertThatThrownBy(() -> resolver.resolve("docker:" + created))
                .isInstanceOf(NamespaceNotFoundException.class)
                .hasMessageContaining("not running");
    }

    @Test
    void anUnknownContainerIsNotFound() {
        DockerNamespaceResolver resolver = track(new DockerNamespaceResolver());
        String name = DockerContainers.newName() + "-missing";
        assertThatThrownBy(() -> resolver.resolve("docker:" + name))
                .isInstanceOf(NamespaceNotFoundException.class)
                .hasMessageContaining(name);
    }

    @Test
    void emptyAndMalformedIdsAreRejectedBeforeAnyRequest() {
        // A daemon that cannot be reached: a request would end in NamespaceUnavailableException.
        DockerNamespaceResolver resolver = track(new DockerNamespaceResolver("unix:///tmp/nt-no-daemon-here.sock"));
        for (String bad : List.of("docker:", "docker:  ", "docker:-leading-dash", "docker:two words", "docker:a/b", "docker:x:y")) {
            assertThatThrownBy(() -> resolver.resolve(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> resolver.resolve("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Netns.fromDocker("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Netns.fromDocker("bad id")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resolver.resolve("name:blue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("docker:");
    }

    @Test
    void anUnreachableDaemonIsUnavailableQuicklyAndTheFailureIsRemembered() {
        String host = "unix:///tmp/nt-no-daemon-" + DockerContainers.newName() + ".sock";
        DockerNamespaceResolver resolver = track(DockerNamespaceResolver.builder().dockerHost(host)
                .failureMemory(Duration.ofSeconds(30)).build());
        long start = System.nanoTime();
        assertThatThrownBy(() -> resolver.resolve("docker:web"))
                .isInstanceOf(NamespaceUnavailableException.class)
                .hasMessageContaining(host);
        assertThatThrownBy(() -> resolver.resolve("docker:web"))
                .isInstanceOf(NamespaceUnavailableException.class)
                .hasMessageContaining("could not be reached")
                .hasMessageContaining("ms ago");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void dockerHostIsHonouredAndAConstructorOverridesIt() {
        String missing = "unix:///tmp/nt-docker-host-" + DockerContainers.newName() + ".sock";
        String name = DockerContainers.newName();
        containers.run(name);
        // docker-java reads DOCKER_HOST from the environment, or from a system property of that name.
        System.setProperty("DOCKER_HOST", missing);
        try {
            DockerNamespaceResolver fromDockerHost = track(new DockerNamespaceResolver());
            assertThatThrownBy(() -> fromDockerHost.resolve("docker:" + name))
                    .isInstanceOf(NamespaceUnavailableException.class)
                    .hasMessageContaining(missing);
            DockerNamespaceResolver overridden = track(new DockerNamespaceResolver("unix:///var/run/docker.sock"));
            overridden.resolve("docker:" + name).close();
        } finally {
            System.clearProperty("DOCKER_HOST");
        }
    }

    @Test
    void codeRunThroughTheTemplateInTheContainersNamespaceSeesOnlyItsInterfaces() throws Exception {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        int pid = containers.pid(id);
        DockerNamespaceResolver resolver = track(new DockerNamespaceResolver());
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(List.of(resolver)), executors);
            for (String reference : List.of("docker:" + name, "docker:" + id.substring(0, 12), "docker:" + id)) {
                List<String> inside = template.execute(reference, ns -> interfaces(Path.of("/proc/thread-self/net/dev")));
                assertThat(inside).contains("lo").isEqualTo(interfaces(Path.of("/proc/" + pid + "/net/dev")));
                assertThat(inside).isNotEqualTo(interfaces(Path.of("/proc/self/net/dev")));
            }
            assertThat(executors.executors()).singleElement().satisfies(info -> assertThat(info.label()).isEqualTo(name));
        }
    }

    @Test
    void aRestartedContainersTemplateCallsRunInItsNewNamespaceAndTheOldExecutorRetires() throws Exception {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        DockerNamespaceResolver resolver = track(new DockerNamespaceResolver());
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            resolver.addInvalidationListener(invalidation -> executors.retire(invalidation.namespace()));
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(List.of(resolver)), executors);
            template.execute("docker:" + name, ns -> currentNamespace()); // pins an executor to the first namespace
            containers.restart(id);
            NamespaceId after = template.execute("docker:" + name, ns -> currentNamespace());
            try (NsHandle expected = Netns.fromPid(containers.pid(id))) {
                assertThat(after).isEqualTo(expected.id());
            }
            // The old executor retires and frees the old namespace (whose inode the new one may then reuse):
            // one executor is left, and it has run only the call made after the restart.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(executors.executors()).singleElement()
                    .satisfies(info -> {
                        assertThat(info.namespace()).isEqualTo(after);
                        assertThat(info.completed()).isEqualTo(1);
                    }));
        }
    }

    private static NamespaceId currentNamespace() {
        try (NsHandle current = Netns.get()) {
            return current.id();
        }
    }

    private static List<String> interfaces(Path netDev) throws IOException {
        return Files.readAllLines(netDev).stream().skip(2).map(line -> line.substring(0, line.indexOf(':')).strip())
                .sorted().toList();
    }

    @Test
    void closeEndsTheEventStreamAndRefusesLookups() {
        String name = DockerContainers.newName();
        containers.run(name);
        long streamsBefore = eventStreamThreads();
        DockerNamespaceResolver resolver = new DockerNamespaceResolver();
        resolver.resolve("docker:" + name).close();
        assertThat(resolver.watchingEvents()).isTrue();
        assertThat(eventStreamThreads()).isEqualTo(streamsBefore + 1);
        resolver.close();
        resolver.close();
        assertThat(resolver.watchingEvents()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> eventStreamThreads() == streamsBefore);
        assertThatThrownBy(() -> resolver.resolve("docker:" + name)).isInstanceOf(IllegalStateException.class);
    }

    private static long eventStreamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("docker-java-stream-"))
                .count();
    }

    @Test
    void aCallerInAnotherNamespaceLeavesNoThreadOfTheResolverThere() throws Exception {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        DockerNamespaceResolver resolver = track(new DockerNamespaceResolver());
        OnThread.call(() -> {
            try (NsHandle origin = Netns.get(); NsHandle elsewhere = Netns.newNamespace()) {
                // The resolver's request threads and its event stream thread are started from here.
                try (NsHandle container = resolver.resolve("docker:" + name);
                        NsHandle expected = Netns.fromPid(containers.pid(id))) {
                    assertThat(container.equal(expected)).isTrue();
                } finally {
                    Netns.set(origin);
                }
                return null;
            }
        });
        assertThat(resolver.watchingEvents()).isTrue();
        // OS thread names (comm) are cut at 15 characters: "netns-docker-1", "docker-java-str".
        assertThat(Netns.threads())
                .filteredOn(thread -> thread.name().startsWith("netns-docker") || thread.name().startsWith("docker-java"))
                .isNotEmpty()
                .allSatisfy(thread -> assertThat(thread.host()).as(thread.toString()).isTrue());
    }
}
