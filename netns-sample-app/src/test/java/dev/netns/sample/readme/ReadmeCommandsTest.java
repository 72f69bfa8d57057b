package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.sample.testsupport.Readme;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The README's two commands: CI runs the test command verbatim, and the run command is the one ReadmeRunCommandIT runs. */
class ReadmeCommandsTest {

    static final String RUN_COMMAND = "mvn -B -q -DskipTests package && java -jar netns-sample-app/target/netns-sample-app.jar";
    static final String TEST_COMMAND = "scripts/setup-test-env.sh && mvn -B verify -Dnetns.test.require-privileges=true";

    @Test
    void theTwoCommandsAreTheOnesCiAndTheTestsRun() throws Exception {
        Readme readme = Readme.load();
        assertThat(readme.commandAfter("Build and start the sample app")).isEqualTo(RUN_COMMAND);
        assertThat(readme.commandAfter("Run the whole test suite")).isEqualTo(TEST_COMMAND);
        assertThat(Files.readAllLines(PackagedApp.projectRoot().resolve(".ci/run"))).contains(TEST_COMMAND);
    }
}
