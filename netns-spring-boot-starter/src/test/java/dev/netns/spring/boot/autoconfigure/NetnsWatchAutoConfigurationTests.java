package dev.netns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamedNamespaceEvent;
import dev.netns.NamedNamespaceEvent.Kind;
import dev.netns.testsupport.Commands;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

class NetnsWatchAutoConfigurationTests {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class, NetnsWatchAutoConfiguration.class));

    @Test
    @EnabledIfNetnsPrivileged
    void namedNamespacesAddedAndDeletedByIpNetnsArriveAsApplicationEvents() {
        String name = namespaces.newName();
        this.contextRunner.withUserConfiguration(Recorder.class).run(context -> {
            assertThat(context.getBean(NamedNamespaceEventPublisher.class).isRunning()).isTrue();
            BlockingQueue<NamedNamespaceEvent> events = context.getBean(Recorder.class).events(name);
            Commands.check("ip", "netns", "add", name);
            assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo(new NamedNamespaceEvent(Kind.ADDED, name));
            Commands.check("ip", "netns", "delete", name);
            assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo(new NamedNamespaceEvent(Kind.DELETED, name));
        });
    }

    @Test
    @EnabledIfNetnsPrivileged
    void closingTheContextStopsTheWatchAndItsThread() throws Exception {
        String name = namespaces.newName();
        List<String> threadsBefore = watchThreads();
        Recorder[] recorder = new Recorder[1];
        this.contextRunner.withUserConfiguration(Recorder.class).run(context -> {
            recorder[0] = context.getBean(Recorder.class);
            recorder[0].events(name);
            assertThat(watchThreads()).hasSize(threadsBefore.size() + 1);
        });
        assertThat(watchThreads()).isEqualTo(threadsBefore);
        Commands.check("ip", "netns", "add", name);
        assertThat(recorder[0].target.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    private static List<String> watchThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(thread -> thread.startsWith("netns-watch-")).sorted().toList();
    }

    @Test
    void theWatchCanBeDisabled() {
        this.contextRunner.withPropertyValues("netns.watch.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(NamedNamespaceEventPublisher.class));
    }

    @Test
    void theWatchIsOffWhenNetnsIs() {
        this.contextRunner.withPropertyValues("netns.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(NamedNamespaceEventPublisher.class));
    }

    @Test
    void aFailingWatchLeavesTheApplicationRunning() {
        NamedNamespaceEventPublisher publisher = new NamedNamespaceEventPublisher(event -> { }, listener -> {
            throw new UnsupportedOperationException("Network namespaces exist only on Linux");
        });
        publisher.start();
        assertThat(publisher.isRunning()).isFalse();
        publisher.stop();
    }

    @Configuration(proxyBeanMethods = false)
    static class Recorder {

        final BlockingQueue<NamedNamespaceEvent> target = new LinkedBlockingQueue<>();
        volatile String prefix = "\0";

        BlockingQueue<NamedNamespaceEvent> events(String prefix) {
            this.prefix = prefix;
            return target;
        }

        @EventListener
        void on(NamedNamespaceEvent event) {
            if (event.name().startsWith(prefix)) {
                target.add(event);
            }
        }
    }
}
