package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.Netns;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TempRunDirs;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's runtime example runs in a run dir of its own and leaves nothing there or in the default one. */
@EnabledIfNetnsPrivileged
class RuntimeExampleTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @RegisterExtension
    final TempRunDirs runDirs = new TempRunDirs();

    @Test
    void theRuntimeExampleCreatesListsAndDeletesInItsOwnRunDir() {
        Path runDir = runDirs.create();
        String name = namespaces.newName();
        assertThat(RuntimeExample.ownRuntime(runDir, name)).containsExactly(name);
        assertThat(runDir.resolve(name)).doesNotExist();
        assertThat(Netns.listNamed()).doesNotContain(name);
    }
}
