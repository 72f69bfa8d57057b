package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's core quick starts run, and leave nothing behind. */
@EnabledIfNetnsPrivileged
class CoreQuickStartTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void theTemplateQuickStartRunsAndDeletesItsNamespace() throws Exception {
        String name = namespaces.newName();
        CoreQuickStart.quickStart(name);
        assertThat(Path.of("/run/netns", name)).doesNotExist();
    }

    @Test
    void theLowLevelExampleRunsAndLeavesTheThreadWhereItWas() throws Exception {
        String name = namespaces.newName();
        Path self = Path.of("/proc/thread-self/ns/net");
        String before = Files.readSymbolicLink(self).toString();
        CoreQuickStart.lowLevel(name);
        assertThat(Files.readSymbolicLink(self).toString()).isEqualTo(before);
        assertThat(Path.of("/run/netns", name)).doesNotExist();
    }
}
