package dev.netns.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.spring.probe.NonLinuxApplication;
import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.ProbeLines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On a laptop without network namespaces the application starts; operations and health say why they fail. */
class NonLinuxStartupTest {

    @Test
    void theApplicationStartsAndOperationsAndHealthExplainTheMissingNamespaces() {
        Commands.Result result = Commands.run(ChildJvm.command(ChildJvm.classpath(), List.of("-Dos.name=Mac OS X"),
                NonLinuxApplication.class.getName()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<String, ProbeLines.Outcome> outcomes = ProbeLines.parse(result.output());
        assertThat(outcomes.get("beans")).isEqualTo(new ProbeLines.Outcome("OK", "1 template, 1 executors"));
        assertThat(outcomes.get("execute").outcome()).isEqualTo("UnsupportedOperationException");
        assertThat(outcomes.get("execute").detail()).contains("only on Linux").contains("Mac OS X");
        assertThat(outcomes.get("health").outcome()).isEqualTo("OK");
        assertThat(outcomes.get("health").detail()).startsWith("DOWN").contains("only on Linux");
    }
}
