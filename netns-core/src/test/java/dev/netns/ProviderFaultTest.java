package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.ProbeLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A broken {@link NamespaceResolverProvider} on the class path (one that cannot be made, or that
 * throws or answers null when asked its scheme) is logged and skipped: it does not take the
 * working providers' schemes down with it.
 */
class ProviderFaultTest {

    @Test
    void brokenProvidersFoundFirstLeaveTheDockerProviderServing() throws IOException {
        Path services = ChildJvm.worldReadableTempDir("nt-providers-");
        try {
            Path file = services.resolve("META-INF/services/" + NamespaceResolverProvider.class.getName());
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", ProviderFaultProbe.FailingConstructor.class.getName(),
                    ProviderFaultProbe.FailingScheme.class.getName(), ProviderFaultProbe.NullScheme.class.getName()) + "\n");
            List<Path> classpath = new ArrayList<>();
            classpath.add(services); // first, so that the broken providers are found before the working one
            classpath.addAll(ChildJvm.classpath());
            String container = "nt-no-such-container-" + UUID.randomUUID();

            Commands.Result result = Commands.run(ChildJvm.command(classpath, List.of(), ProviderFaultProbe.class.getName(),
                    container));

            assertThat(result.exitCode()).as(result.output()).isZero();
            ProbeLines.Outcome fromDocker = ProbeLines.parse(result.output()).get("fromDocker");
            assertThat(fromDocker.detail()).as(result.output()).doesNotContain("broken provider")
                    .doesNotContain("no NamespaceResolverProvider").contains(container);
            assertThat(fromDocker.outcome()).isIn(NamespaceNotFoundException.class.getSimpleName(),
                    NamespaceUnavailableException.class.getSimpleName());
            assertThat(result.output()).contains(ProviderFaultProbe.FailingScheme.class.getName())
                    .contains(ProviderFaultProbe.NullScheme.class.getName());
        } finally {
            ChildJvm.deleteRecursively(services);
        }
    }
}
