package dev.netns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.docker.DockerNamespaceResolver;
import dev.netns.spring.boot.actuate.NetnsHealthIndicator;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.DockerContainers;
import dev.netns.testsupport.RequiresDocker;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * One {@link DockerClient} serves Docker resolution, its event stream and the health: the
 * application's bean when there is one (left open), else the starter's (closed with the context).
 * Real containers on the real engine, resolved through the starter.
 */
@EnabledIfNetnsPrivileged
@RequiresDocker
class NetnsDockerAutoConfigurationTests {

    @RegisterExtension
    final DockerContainers containers = new DockerContainers();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class, NetnsDockerAutoConfiguration.class,
                    NetnsEndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class));

    @Test
    void aUsersDockerClientBeanIsTheOneTheResolverItsEventsAndTheHealthUseAndItIsLeftOpen() {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        DockerClient counting = counting(DockerContainers.newClient(null), calls);
        contextRunner.withPropertyValues("netns.namespaces.web=docker:" + name)
                // Not closed by the context, so that only the starter could close it.
                .withBean("usersDockerClient", DockerClient.class, () -> counting, definition -> definition.setDestroyMethodName(""))
                .run(context -> {
                    assertThat(context).hasSingleBean(DockerClient.class).hasSingleBean(DockerNamespaceResolver.class);
                    assertThat(context.getBean(DockerClient.class)).isSameAs(counting);
                    NamespaceTemplate template = context.getBean(NamespaceTemplate.class);
                    int inspectionsAtStart = count(calls, "inspectContainerCmd"); // the start-up check resolves "web"
                    try (NsHandle expected = Netns.fromPid(containers.pid(id))) {
                        for (int i = 0; i < 3; i++) {
                            try (NsHandle byAlias = template.resolve("web"); NsHandle byName = template.resolve("docker:" + name)) {
                                assertThat(byAlias.equal(expected)).isTrue();
                                assertThat(byName.equal(expected)).isTrue();
                            }
                        }
                    }
                    assertThat(count(calls, "inspectContainerCmd")).as("inspections through the user's client")
                            .isBetween(1, inspectionsAtStart + 1);
                    assertThat(context.getBean(DockerNamespaceResolver.class).watchingEvents()).isTrue();
                    assertThat(count(calls, "eventsCmd")).as("event streams through the user's client").isEqualTo(1);

                    Health health = context.getBean(NetnsHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails().get("docker")).asString().contains("status=UP");
                    assertThat(count(calls, "pingCmd")).as("health pings through the user's client").isEqualTo(1);
                });
        assertThat(count(calls, "close")).as("closes of the user's client").isZero();
        counting.pingCmd().exec(); // still open
    }

    /**
     * An application that talks to Docker through a transport of its choice (httpclient5, say) and
     * leaves the starter's zerodep transport out: its client still serves resolution.
     */
    @Test
    void aUsersDockerClientServesResolutionWhenTheZerodepTransportIsLeftOut() {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        DockerClient counting = counting(DockerContainers.newClient(null), calls);
        contextRunner.withClassLoader(new FilteredClassLoader(ZerodepDockerHttpClient.class))
                .withBean("usersDockerClient", DockerClient.class, () -> counting, definition -> definition.setDestroyMethodName(""))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DockerClient.class)
                            .hasSingleBean(DockerNamespaceResolver.class);
                    try (NsHandle resolved = context.getBean(NamespaceTemplate.class).resolve("docker:" + name);
                            NsHandle expected = Netns.fromPid(containers.pid(id))) {
                        assertThat(resolved.equal(expected)).isTrue();
                    }
                    assertThat(count(calls, "inspectContainerCmd")).as("inspections through the user's client").isEqualTo(1);
                });
    }

    @Test
    void withoutAUsersClientTheStarterMakesOneFromItsPropertiesAndClosesItWithTheContext() {
        String name = DockerContainers.newName();
        String id = containers.run(name);
        AtomicReference<DockerClient> made = new AtomicReference<>();
        contextRunner.withPropertyValues("netns.docker.host=unix:///var/run/docker.sock").run(context -> {
            assertThat(context).hasSingleBean(DockerClient.class);
            made.set(context.getBean(DockerClient.class));
            try (NsHandle resolved = context.getBean(NamespaceTemplate.class).resolve("docker:" + id.substring(0, 12));
                    NsHandle expected = Netns.fromPid(containers.pid(id))) {
                assertThat(resolved.equal(expected)).isTrue();
                assertThat(resolved.source()).isEqualTo("docker:" + name);
            }
            made.get().pingCmd().exec();
        });
        assertThatThrownBy(() -> made.get().pingCmd().exec()).as("the starter's client after the context closed")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void aHostThatNoEngineServesMakesLookupsAndTheHealthSaySoThroughTheSameClient() {
        String host = "unix:///tmp/" + DockerContainers.newName() + "-no-engine.sock";
        contextRunner.withPropertyValues("netns.docker.host=" + host, "netns.namespaces.web=docker:web").run(context -> {
            Health health = context.getBean(NetnsHealthIndicator.class).health(true);
            assertThat(health.getStatus()).as("no required alias needs the engine").isEqualTo(Status.UP);
            assertThat(health.getDetails().get("docker")).asString().contains("status=DOWN").contains(host);
            assertThatThrownBy(() -> context.getBean(NamespaceTemplate.class).resolve("docker:web"))
                    .hasMessageContaining(host);
        });
    }

    private static int count(Map<String, AtomicInteger> calls, String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    /** The client, behind a proxy that counts calls by method name. */
    private static DockerClient counting(DockerClient client, Map<String, AtomicInteger> calls) {
        InvocationHandler handler = (proxy, method, args) -> {
            calls.computeIfAbsent(method.getName(), m -> new AtomicInteger()).incrementAndGet();
            try {
                return method.invoke(client, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(), new Class<?>[] {DockerClient.class},
                handler);
    }
}
