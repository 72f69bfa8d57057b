package dev.netns.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.spring.boot.actuate.NetnsEndpoint.NamespaceDescriptor;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPrivileges
class NetnsEndpointNamespaceIdsTests {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final NamespaceTemplate template = new NamespaceTemplate();

    @AfterEach
    void closeExecutors() {
        template.executors().close();
    }

    @Test
    void namespaceDetailShowsTheIdsItKnowsOtherNamespacesBy() {
        String described = namespaces.ipNetnsAdd();
        String known = namespaces.ipNetnsAdd();
        String unknown = namespaces.ipNetnsAdd();
        Commands.check("ip", "-n", described, "netns", "set", known, "42");
        NamespaceDescriptor detail = new NetnsEndpoint(template).namespace(new String[] {described});
        assertThat(detail).isNotNull();
        assertThat(detail.nsids()).containsEntry(known, 42).doesNotContainKey(unknown).doesNotContainKey(described);
        NamespaceDescriptor other = new NetnsEndpoint(template).namespace(new String[] {"name:" + known});
        assertThat(other.nsids()).doesNotContainKey(described);
    }
}
