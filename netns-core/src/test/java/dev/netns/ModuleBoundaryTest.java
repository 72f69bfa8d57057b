package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.moduleprobe.ModuleProbe;
import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.ProbeLines;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TempRunDirs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * netns-core as a named module ({@code module-info.java}): in a JVM with it on the module path,
 * beside JNA and SLF4J only, it exports {@code dev.netns} and {@code dev.netns.docker} and nothing
 * else, JNA binds its natives, the Docker provider is found through {@code provides}, and without
 * docker-java {@code docker:} lookups name the artifacts to add.
 *
 * <p>The rest of the suite runs on the class path: named modules ignore
 * {@code META-INF/services} of test resources, so the suite's leak check would silently stop being
 * registered, and the child-JVM probes would lose the library's classes.
 */
class ModuleBoundaryTest {

    @RegisterExtension
    final TempRunDirs runDirs = new TempRunDirs();

    @Test
    void theModuleExportsTheApiOnlyAndWorksOnTheModulePath() {
        Map<String, ProbeLines.Outcome> outcomes = probe();

        assertThat(outcomes.get("module")).isEqualTo(new ProbeLines.Outcome("OK", "dev.netns"));
        assertThat(outcomes.get("exports")).isEqualTo(new ProbeLines.Outcome("OK", "[dev.netns, dev.netns.docker]"));
        assertThat(outcomes.get("internal").outcome()).isEqualTo(IllegalAccessException.class.getSimpleName());
        assertThat(outcomes.get("internal").detail()).contains("does not export dev.netns.internal");
        assertThat(outcomes.get("get").ok()).as(outcomes.get("get").detail()).isTrue();
        assertThat(outcomes.get("get").detail()).endsWith(" 1");
        assertThat(outcomes.get("providers")).isEqualTo(new ProbeLines.Outcome("OK", "[dev.netns.docker.DockerResolverProvider]"));
        assertThat(outcomes.get("fromDocker").outcome()).isEqualTo(NamespaceUnavailableException.class.getSimpleName());
        assertThat(outcomes.get("fromDocker").detail()).contains("com.github.docker-java:docker-java-core")
                .contains("docker-java-transport-zerodep");
    }

    @Test
    @RequiresPrivileges
    void namedNamespacesWatchesExecutorsAndProcessesWorkOnTheModulePath() {
        Path runDir = runDirs.create();
        ProbeLines.Outcome named = probe(runDir.toString()).get("named");
        assertThat(named).isEqualTo(new ProbeLines.Outcome("OK",
                "event=NamedNamespaceEvent[kind=ADDED, name=nt-module-probe] inside=true exit=0 left=[]"));
    }

    /**
     * docker-java on the class path while netns-core is on the module path: the named module cannot
     * read the class path, so {@code docker:} must say so, not fail to link.
     */
    @Test
    void dockerJavaOnTheClassPathOfAModularApplicationIsExplainedNotALinkError() {
        Map<String, ProbeLines.Outcome> outcomes = probe(true);
        assertThat(outcomes.get("fromDocker").outcome()).as(outcomes.toString())
                .isEqualTo(NamespaceUnavailableException.class.getSimpleName());
        assertThat(outcomes.get("fromDocker").detail()).contains("--add-modules");
    }

    private static Map<String, ProbeLines.Outcome> probe(String... args) {
        return probe(false, args);
    }

    /**
     * Runs the probe with netns-core, JNA and SLF4J on the module path and the probe on the class
     * path, with docker-java there too if asked.
     */
    private static Map<String, ProbeLines.Outcome> probe(boolean dockerJavaOnClassPath, String... args) {
        List<String> modulePath = new ArrayList<>();
        List<Path> classPath = new ArrayList<>();
        for (Path entry : ChildJvm.classpath()) {
            String file = entry.getFileName().toString();
            if (Files.isDirectory(entry) && Files.exists(entry.resolve("module-info.class"))) {
                modulePath.add(entry.toString());
            } else if (file.startsWith("jna-") || file.startsWith("slf4j-api-")) { // no logger: SLF4J falls back to none
                modulePath.add(entry.toString());
            } else if (Files.isDirectory(entry) && Files.exists(entry.resolve(ModuleProbe.class.getName().replace('.', '/') + ".class"))) {
                classPath.add(entry);
            } else if (dockerJavaOnClassPath && !Files.isDirectory(entry)) {
                classPath.add(entry);
            }
        }
        List<String> options = new ArrayList<>(List.of("--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "dev.netns"));
        if (Runtime.version().feature() >= 24) {
            options.add("--enable-native-access=com.sun.jna");
        }
        Commands.Result result = Commands.run(ChildJvm.command(classPath, options, ModuleProbe.class.getName(), args));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(modulePath).as("module path: netns-core, JNA, SLF4J's API").hasSize(3);
        return ProbeLines.parse(result.output());
    }
}
