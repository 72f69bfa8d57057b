package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.spring.boot.autoconfigure.NetnsAutoConfiguration;
import dev.netns.testsupport.Commands;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The README's starter quick start in a Spring context with the starter: the alias leads inside. */
@EnabledIfNetnsPrivileged
class StarterQuickStartTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void theAnnotatedMethodRunsInsideTheAliasedNamespace() {
        String name = namespaces.ipNetnsAdd();
        Commands.check("ip", "-n", name, "link", "set", "lo", "up");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class))
                .withPropertyValues("netns.namespaces.backend=name:" + name)
                .withUserConfiguration(BackendProbe.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    BackendProbe probe = context.getBean(BackendProbe.class);
                    NamespaceTemplate template = context.getBean(NamespaceTemplate.class);
                    // a server that exists only inside the namespace: reachable from the annotated method alone
                    try (ServerSocket inside = template.execute("backend", ns -> new ServerSocket(0))) {
                        assertThat(probe.reachable("127.0.0.1", inside.getLocalPort())).isTrue();
                    }
                    assertThat(probe.interfaceNames("backend")).containsExactly("lo");
                    assertThat(probe.interfaceNames(name)).containsExactly("lo");
                    template.executors().close();
                });
    }
}
