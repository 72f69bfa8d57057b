package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Why {@link NamespaceTemplate#start} does not call {@code ProcessBuilder.start}: the JDK reaps each
 * child on a thread of a cached pool ({@code ProcessHandleImpl}'s "process reaper", one per live
 * child, kept 60 s when idle), and when none is idle the thread calling {@code start} creates one,
 * born in that thread's namespace. So children started at once from inside a namespace leave
 * reapers there (after reusing the one idle reaper JNA's start-up left at home). The template,
 * started from the same place, leaves none.
 */
@RequiresPrivileges
class ProcessReaperTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private String probe(String mode, String namespace) {
        String output = Commands.check(ChildJvm.command(ChildJvm.classpath(), java.util.List.of(),
                ProcessReaperProbe.class.getName(), mode, namespace).toArray(new String[0]));
        return output.lines().filter(line -> line.startsWith("strays=")).findFirst().orElseThrow();
    }

    @Test
    void theJdkLeavesItsReaperThreadInTheNamespaceOfTheStartingThread() {
        assertThat(probe("jdk", namespaces.ipNetnsAdd())).matches("strays=\\[process reaper(, process reaper)+\\]");
    }

    @Test
    void theTemplateStartedFromInsideANamespaceLeavesNoThreadThere() {
        assertThat(probe("template", namespaces.ipNetnsAdd())).isEqualTo("strays=[]");
    }
}
