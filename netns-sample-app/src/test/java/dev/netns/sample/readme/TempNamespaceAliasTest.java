package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.sample.SampleApplication;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.test.TempNamespace;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The README's {@code @SpringBootTest} example: a temporary namespace behind an alias of the sample app. */
@EnabledIfNetnsPrivileged
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.address=127.0.0.1")
@DirtiesContext // the namespace is deleted after the class: no later test may reuse this context
class TempNamespaceAliasTest {

    // tag::netns-test-spring[]
    @TempNamespace                               // static: made before the application context starts
    static String backend;

    @DynamicPropertySource
    static void namespaces(DynamicPropertyRegistry registry) {
        registry.add("netns.namespaces.backend", () -> "name:" + backend);
    }
    // end::netns-test-spring[]

    @Autowired
    NamespaceTemplate netns;

    @Test
    void theAliasStandsForTheTemporaryNamespace() {
        try (NsHandle expected = Netns.fromName(backend); NsHandle resolved = netns.resolve("backend")) {
            assertThat(resolved.equal(expected)).isTrue();
        }
    }
}
