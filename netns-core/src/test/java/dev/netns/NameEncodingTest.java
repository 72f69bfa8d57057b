package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.ProbeLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A name the JVM's file name encoding cannot hold is an invalid name, not a half-understood path. */
class NameEncodingTest {

    @Test
    void aNameTheLocaleCannotEncodeIsRefusedAsInvalidBeforeAnythingIsTouched() {
        List<String> command = new ArrayList<>(List.of("env", "LC_ALL=C", "LANG=C"));
        command.addAll(ChildJvm.command(ChildJvm.classpath(), List.of(), NameEncodingProbe.class.getName()));
        Commands.Result result = Commands.run(command);
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<String, ProbeLines.Outcome> outcomes = ProbeLines.parse(result.output());

        assertThat(outcomes.get("encoding").detail()).as("the C locale's file name encoding").isNotEqualTo("UTF-8");
        assertThat(outcomes).as(result.output()).containsKeys("fromName", "newNamed", "deleteNamed", "execute");
        for (String operation : List.of("fromName", "newNamed", "deleteNamed", "execute")) {
            assertThat(outcomes.get(operation)).as(operation).satisfies(outcome -> {
                assertThat(outcome.outcome()).isEqualTo(IllegalArgumentException.class.getSimpleName());
                assertThat(outcome.detail()).contains("Invalid namespace name").contains("cannot encode it as a file name");
            });
        }
    }
}
