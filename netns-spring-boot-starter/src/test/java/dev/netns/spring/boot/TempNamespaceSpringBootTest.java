package dev.netns.spring.boot;

import static dev.netns.test.NetnsAssertions.assertNoLeakedHandles;
import static dev.netns.test.NetnsAssertions.assertNoStrayThreads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.spring.boot.aop.InNamespace;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.test.TempNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A user's {@code @SpringBootTest} with the netns-test module: a temporary namespace made for the
 * class (a static {@code @TempNamespace} field, ready before the context starts) backs the alias
 * {@code backend} through a dynamic property, and an {@code @InNamespace("backend")} bean runs there.
 */
@EnabledIfNetnsPrivileged
@SpringBootTest(classes = TempNamespaceSpringBootTest.TestApplication.class)
@DirtiesContext // the namespace is deleted after the class: no later test may reuse this context
class TempNamespaceSpringBootTest {

    @TempNamespace
    static String backend;

    @DynamicPropertySource
    static void namespaces(DynamicPropertyRegistry registry) {
        registry.add("netns.namespaces.backend", () -> "name:" + backend);
    }

    @Autowired
    BackendProbe probe;

    @Autowired
    NamespaceTemplate template;

    @Autowired
    NetnsRuntime runtime;

    @Test
    void anInNamespaceBeanRunsInTheTemporaryNamespaceBehindTheAlias() throws Throwable {
        try (NsHandle ns = Netns.fromName(backend)) {
            assertThat(probe.namespace()).isEqualTo("net:[" + ns.id().inode() + "]");
        }
        assertThat(template.aliases().get("backend").value()).isEqualTo(backend);
        assertNoLeakedHandles(runtime, () -> template.execute("backend", ns -> probe.namespace()));
        assertNoStrayThreads();
    }

    @SpringBootApplication
    static class TestApplication {

        @Bean
        BackendProbe backendProbe() {
            return new BackendProbe();
        }
    }

    static class BackendProbe {

        @InNamespace("backend")
        public String namespace() throws java.io.IOException {
            return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        }
    }
}
