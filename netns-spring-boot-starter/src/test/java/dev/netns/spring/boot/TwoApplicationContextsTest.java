package dev.netns.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.HandleInfo;
import dev.netns.NamedNamespaceEvent;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import dev.netns.spring.boot.actuate.NetnsEndpoint.NamedDescriptor;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TempRunDirs;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * Two Spring Boot applications in one JVM, each with its own {@code netns.run-dir}: each creates,
 * lists, watches and deletes named namespaces in its own run dir only, and closing one leaves the
 * other working. Neither touches the static {@code Netns} settings.
 */
@EnabledIfNetnsPrivileged
class TwoApplicationContextsTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @RegisterExtension
    final TempRunDirs runDirs = new TempRunDirs();

    @Test
    void eachContextWorksInItsOwnRunDirAndClosingOneLeavesTheOtherWorking() throws Exception {
        Path dirA = runDirs.create();
        Path dirB = runDirs.create();
        Path defaultRunDir = Netns.runDirectory();
        String nameA = namespaces.newName();
        String nameB = namespaces.newName();
        String laterB = namespaces.newName();
        ConfigurableApplicationContext a = start(dirA);
        ConfigurableApplicationContext b = start(dirB);
        NetnsRuntime runtimeA = a.getBean(NetnsRuntime.class);
        NetnsRuntime runtimeB = b.getBean(NetnsRuntime.class);
        try (NsHandle inA = a.getBean(NamespaceTemplate.class).createNamed(nameA);
                NsHandle inB = b.getBean(NamespaceTemplate.class).createNamed(nameB)) {
            assertThat(runtimeA).isNotSameAs(runtimeB);
            assertThat(Netns.runDirectory()).isEqualTo(defaultRunDir);
            assertThat(dirA.resolve(nameA)).exists();
            assertThat(dirB.resolve(nameA)).doesNotExist();
            assertThat(runtimeA.listNamed()).containsExactly(nameA);
            assertThat(runtimeB.listNamed()).containsExactly(nameB);
            assertThat(named(a)).containsExactly(nameA);
            assertThat(named(b)).containsExactly(nameB);
            assertThat(events(a).poll(5, TimeUnit.SECONDS)).isEqualTo(added(nameA));
            assertThat(events(b).poll(5, TimeUnit.SECONDS)).isEqualTo(added(nameB));
            assertThat(a.getBean(NamespaceTemplate.class).execute(nameA, NsHandle::id)).isEqualTo(inA.id());
            assertThatThrownBy(() -> a.getBean(NamespaceTemplate.class).execute(nameB, NsHandle::id))
                    .hasMessageContaining(dirA.toString());
            assertThat(sources(runtimeA)).contains("name:" + nameA, "executor:" + nameA).doesNotContain("name:" + nameB);

            a.close();

            assertThat(runtimeA.isClosed()).isTrue();
            assertThat(runtimeB.isClosed()).isFalse();
            NamespaceTemplate templateB = b.getBean(NamespaceTemplate.class);
            try (NsHandle later = templateB.createNamed(laterB)) {
                assertThat(templateB.execute(laterB, NsHandle::id)).isEqualTo(later.id());
                assertThat(runtimeB.listNamed()).containsExactlyInAnyOrder(nameB, laterB);
                assertThat(events(b).poll(5, TimeUnit.SECONDS)).isEqualTo(added(laterB));
                assertThat(sources(runtimeB)).contains("name:" + nameB, "name:" + laterB, "executor:" + laterB)
                        .doesNotContain("name:" + nameA);
                templateB.deleteNamed(laterB);
            }
            assertThat(runtimeB.listNamed()).containsExactly(nameB);
            assertThat(dirA.resolve(nameA)).as("a name outlives the application that made it, as with ip netns").exists();
            templateB.deleteNamed(nameB);
            assertThat(runtimeB.listNamed()).isEmpty();
            try (NetnsRuntime cleanup = NetnsRuntime.builder().runDirectory(dirA).build()) {
                cleanup.deleteNamed(nameA);
            }
        } finally {
            a.close();
            b.close();
        }
        assertThat(runtimeB.isClosed()).isTrue();
    }

    private static ConfigurableApplicationContext start(Path runDir) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .properties("netns.run-dir=" + runDir, "management.endpoints.web.exposure.include=netns",
                        "spring.main.banner-mode=off")
                .run();
    }

    private static List<String> named(ConfigurableApplicationContext context) {
        return context.getBean(NetnsEndpoint.class).netns().named().stream().map(NamedDescriptor::name).toList();
    }

    private static List<String> sources(NetnsRuntime runtime) {
        return runtime.openHandles().stream().map(HandleInfo::source).toList();
    }

    private static BlockingQueue<NamedNamespaceEvent> events(ConfigurableApplicationContext context) {
        return context.getBean(TestApplication.class).events;
    }

    private static NamedNamespaceEvent added(String name) {
        return new NamedNamespaceEvent(NamedNamespaceEvent.Kind.ADDED, name);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApplication {

        final BlockingQueue<NamedNamespaceEvent> events = new LinkedBlockingQueue<>();

        @EventListener
        void on(NamedNamespaceEvent event) {
            events.add(event);
        }
    }
}
