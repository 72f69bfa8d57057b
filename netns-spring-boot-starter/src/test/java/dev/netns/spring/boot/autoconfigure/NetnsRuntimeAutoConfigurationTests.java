package dev.netns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.HandleInfo;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import dev.netns.spring.boot.actuate.NetnsEndpoint.HandleDescriptor;
import dev.netns.spring.boot.actuate.NetnsHealthIndicator;
import dev.netns.NamespaceTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The application context's {@link NetnsRuntime}: built from {@code netns.*}, used by every netns bean, closed with the context. */
@ExtendWith(OutputCaptureExtension.class)
class NetnsRuntimeAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class, NetnsDockerAutoConfiguration.class,
                    NetnsEndpointAutoConfiguration.class, NetnsWatchAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=netns", "netns.watch.enabled=false");

    @Test
    void aRuntimeIsBuiltFromThePropertiesAndTheStaticSettingsAreLeftAlone() {
        Path runDir = Path.of("/tmp/nt-rundir-" + UUID.randomUUID());
        Path defaultRunDir = Netns.runDirectory();
        boolean defaultLogs = NetnsRuntime.defaultRuntime().logsLeaks();
        boolean defaultTracks = NetnsRuntime.defaultRuntime().tracksStackTraces();
        this.contextRunner.withPropertyValues("netns.run-dir=" + runDir, "netns.leak-detection.enabled=false",
                "netns.leak-detection.track-stack-traces=true").run(context -> {
                    NetnsRuntime runtime = context.getBean(NetnsRuntime.class);
                    assertThat(runtime.isDefault()).isFalse();
                    assertThat(runtime.runDirectory()).isEqualTo(runDir);
                    assertThat(runtime.logsLeaks()).isFalse();
                    assertThat(runtime.tracksStackTraces()).isTrue();
                    assertThat(context.getBean(NamespaceTemplate.class).runtime()).isSameAs(runtime);
                    assertThat(context.getBean(DefaultNamespaceResolver.class).runtime()).isSameAs(runtime);
                    assertThat(Netns.runDirectory()).isEqualTo(defaultRunDir);
                    assertThat(NetnsRuntime.defaultRuntime().logsLeaks()).isEqualTo(defaultLogs);
                    assertThat(NetnsRuntime.defaultRuntime().tracksStackTraces()).isEqualTo(defaultTracks);
                });
        assertThat(runDir).doesNotExist();
    }

    @Test
    void theRuntimeIsClosedWithTheContext() {
        NetnsRuntime[] runtime = new NetnsRuntime[1];
        this.contextRunner.run(context -> {
            runtime[0] = context.getBean(NetnsRuntime.class);
            assertThat(runtime[0].isClosed()).isFalse();
        });
        assertThat(runtime[0].isClosed()).isTrue();
    }

    @Test
    void aUserRuntimeIsTheOneEveryBeanUsesAndTheUserKeepsItsSettings() {
        NetnsRuntime own = NetnsRuntime.builder().runDirectory(Path.of("/tmp/nt-own-" + UUID.randomUUID())).build();
        this.contextRunner.withBean(NetnsRuntime.class, () -> own).withPropertyValues("netns.run-dir=/run/elsewhere")
                .run(context -> {
                    assertThat(context).hasSingleBean(NetnsRuntime.class);
                    assertThat(context.getBean(NetnsRuntime.class)).isSameAs(own);
                    assertThat(context.getBean(NamespaceTemplate.class).runtime()).isSameAs(own);
                    assertThat(context.getBean(DefaultNamespaceResolver.class).runtime()).isSameAs(own);
                    try (NsHandle handle = own.open("/proc/self/ns/net", "test:own")) {
                        assertThat(context.getBean(NetnsEndpoint.class).netns().handles()).extracting(HandleDescriptor::source)
                                .containsExactly("test:own");
                        Health health = context.getBean(NetnsHealthIndicator.class).health(true);
                        assertThat(health.getDetails()).containsEntry("runDirectory", own.runDirectory().toString());
                    }
                });
        own.close();
    }

    @Test
    void theDefaultRuntimeGivenAsTheContextsRuntimeOutlivesTheContext() {
        this.contextRunner.withBean(NetnsRuntime.class, NetnsRuntime::defaultRuntime).run(context -> {
            assertThat(context.getBean(NamespaceTemplate.class).runtime()).isSameAs(NetnsRuntime.defaultRuntime());
        });
        assertThat(NetnsRuntime.defaultRuntime().isClosed()).isFalse();
        try (NsHandle host = Netns.fromPath("/proc/self/ns/net")) {
            assertThat(Netns.openHandles()).extracting(HandleInfo::source).contains("path:/proc/self/ns/net");
        }
    }

    @Test
    void theEndpointShowsTheHandlesOfItsRuntimeWithTheStacksThatOpenedThemWhenTracked() {
        this.contextRunner.withPropertyValues("netns.leak-detection.track-stack-traces=true").run(context -> {
            NetnsRuntime runtime = context.getBean(NetnsRuntime.class);
            try (NsHandle tracked = runtime.open("/proc/self/ns/net", "test:tracked"); NsHandle other = Netns.get()) {
                assertThat(context.getBean(NetnsEndpoint.class).netns().handles()).singleElement().satisfies(handle -> {
                    assertThat(handle.source()).isEqualTo("test:tracked");
                    assertThat(handle.stackTrace()).contains(getClass().getName() + ".lambda$");
                });
            }
        });
    }

    @Test
    void aLeakedHandleOfTheContextsRuntimeNamesThePropertyThatTurnsStackTrackingOn(CapturedOutput output) {
        this.contextRunner.run(context -> {
            NetnsRuntime runtime = context.getBean(NetnsRuntime.class);
            String source = leak(runtime);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                System.gc();
                return output.getAll().contains(source + ") was garbage-collected while open");
            });
            assertThat(runtime.leakedHandles()).isEqualTo(1);
            assertThat(output.getAll()).contains(source + ") was garbage-collected while open")
                    .contains("; set netns.leak-detection.track-stack-traces=true to see where");
        });
    }

    private static String leak(NetnsRuntime runtime) {
        String source = "test:leak-" + UUID.randomUUID();
        assertThat(runtime.open("/proc/self/ns/net", source).isOpen()).isTrue();
        return source;
    }
}
