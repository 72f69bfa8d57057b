package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.RequiresPrivileges;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A JVM whose first library call creates a namespace: threads the library starts lazily then
 * (the handle registry's Cleaner, the home threads) must be started at home, not on the thread
 * that creates the namespace.
 */
@RequiresPrivileges
class FirstCallCreateTest {

    @Test
    void aFirstCallToCreateLeavesNoStrayThread() {
        Commands.Result result = Commands.run(ChildJvm.command(ChildJvm.classpath(), List.of(),
                FirstCallCreateProbe.class.getName()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("created ").contains("strays 0 ");
    }
}
