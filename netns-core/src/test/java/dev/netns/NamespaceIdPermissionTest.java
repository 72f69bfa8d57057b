package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.ProbeLines;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Setting a namespace id needs CAP_NET_ADMIN, reading one does not: a child JVM of root whose
 * bounding set lacks CAP_NET_ADMIN reads the id and is refused setting one, with a typed exception
 * that says which capability is missing, and nothing is set.
 */
@RequiresPrivileges
class NamespaceIdPermissionTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void settingAnIdWithoutCapNetAdminIsRefusedAndSaysWhy() {
        String of = namespaces.ipNetnsAdd();
        String from = namespaces.ipNetnsAdd();
        Commands.check("ip", "-n", from, "netns", "set", of, "3");
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin"));
        command.addAll(ChildJvm.command(ChildJvm.classpath(), List.of(), NamespaceIdPermissionProbe.class.getName(), of, from));
        Commands.Result result = Commands.run(command);
        Map<String, ProbeLines.Outcome> outcomes = ProbeLines.parse(result.output());
        assertThat(outcomes.get("read")).as(result.output()).isEqualTo(new ProbeLines.Outcome("OK", "OptionalInt[3]"));
        assertThat(outcomes.get("set").outcome()).as(result.output()).isEqualTo("NamespacePermissionException");
        assertThat(outcomes.get("set").detail()).contains("RTM_NEWNSID(nsid=5, fd=").contains("EPERM")
                .contains("setting a namespace id needs CAP_NET_ADMIN");
        assertThat(Commands.check("ip", "-n", from, "netns", "list-id")).contains("nsid 3 ").doesNotContain("nsid 5 ");
    }
}
