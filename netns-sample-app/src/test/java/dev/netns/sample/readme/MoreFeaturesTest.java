package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamedNamespaceEvent;
import dev.netns.NamedNamespaceEvent.Kind;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.spring.boot.autoconfigure.NetnsAutoConfiguration;
import dev.netns.spring.boot.autoconfigure.NetnsWatchAutoConfiguration;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.test.NetnsAssertions;
import dev.netns.test.TempNamespace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The README's blocks on namespace ids, watching and processes run, and do what the README says. */
@EnabledIfNetnsPrivileged
class MoreFeaturesTest {

    private final NamespaceTemplate netns = new NamespaceTemplate();

    @AfterEach
    void closeExecutors() {
        netns.executors().close();
    }

    @Test
    void theNamespaceIdExampleSetsAndReadsAnId(@TempNamespace String blue, @TempNamespace String red) {
        assertThat(MoreFeatures.namespaceIds(netns, blue, red)).hasValue(7);
    }

    @Test
    void theWatchExampleHearsANameComeAndGo() throws Exception {
        List<NamedNamespaceEvent> seen = new CopyOnWriteArrayList<>();
        String name = "nt-readme-" + Long.toHexString(System.nanoTime());
        try (AutoCloseable watch = MoreFeatures.watch(seen)) {
            Netns.newNamed(name).close();
            Netns.deleteNamed(name);
            Awaitility.await().until(() -> seen.contains(new NamedNamespaceEvent(Kind.DELETED, name)));
        }
        assertThat(seen).filteredOn(event -> event.name().equals(name))
                .containsExactly(new NamedNamespaceEvent(Kind.ADDED, name), new NamedNamespaceEvent(Kind.DELETED, name));
    }

    @Test
    void theListenerExampleHearsTheStartersEvents() {
        String name = "nt-readme-" + Long.toHexString(System.nanoTime());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class, NetnsWatchAutoConfiguration.class))
                .withBean(MoreFeatures.NamespaceLog.class).run(context -> {
                    MoreFeatures.NamespaceLog log = context.getBean(MoreFeatures.NamespaceLog.class);
                    Netns.newNamed(name).close();
                    Netns.deleteNamed(name);
                    Awaitility.await().until(() -> log.heard.contains(new NamedNamespaceEvent(Kind.DELETED, name)));
                    assertThat(log.heard).filteredOn(event -> event.name().equals(name)).hasSize(2);
                });
    }

    @Test
    void theProcessExampleSeesOnlyLoopback(@TempNamespace String name) throws Exception {
        assertThat(MoreFeatures.linksInside(netns, name)).contains("\"ifname\":\"lo\"").doesNotContain("eth0");
        NetnsAssertions.assertNoStrayThreads();
    }
}
