package dev.netns.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.spring.boot.actuate.NetnsEndpoint.NamespaceDescriptor;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.test.TempNamespace;
import dev.netns.testsupport.Commands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnabledIfNetnsPrivileged
class NetnsEndpointNamespaceIdsTests {

    private final NamespaceTemplate template = new NamespaceTemplate();

    @AfterEach
    void closeExecutors() {
        template.executors().close();
    }

    @Test
    void namespaceDetailShowsTheIdsItKnowsOtherNamespacesBy(@TempNamespace String described, @TempNamespace String known,
            @TempNamespace String unknown) {
        Commands.check("ip", "-n", described, "netns", "set", known, "42");
        NamespaceDescriptor detail = new NetnsEndpoint(template).namespace(new String[] {described});
        assertThat(detail).isNotNull();
        assertThat(detail.nsids()).containsEntry(known, 42).doesNotContainKey(unknown).doesNotContainKey(described);
        NamespaceDescriptor other = new NetnsEndpoint(template).namespace(new String[] {"name:" + known});
        assertThat(other.nsids()).doesNotContainKey(described);
    }
}
