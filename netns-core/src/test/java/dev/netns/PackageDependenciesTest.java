package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ClassFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packages of netns-core depend on each other in one direction: {@code dev.netns.docker} sits on
 * top of the core ({@code dev.netns} and its non-exported {@code dev.netns.internal}, which belong
 * together: the internals throw the API's exceptions), and nothing in the core names the docker
 * package, not even as a string a reflective lookup could load. The core finds Docker support as a
 * {@link NamespaceResolverProvider} instead. Read from the compiled classes' constant pools, where
 * every class, member, descriptor, signature and string a class uses is written.
 */
class PackageDependenciesTest {

    private static final Pattern REFERENCE = Pattern.compile("dev[/.]netns(?:[/.]([a-z][a-z0-9]*))?[/.][A-Z]");

    @Test
    void noClassOfTheCoreNamesTheDockerPackage() {
        List<String> offenders = new ArrayList<>();
        for (String classFile : ClassFiles.all()) {
            String from = packageOf(classFile);
            if (!from.equals("docker") && !classFile.equals("module-info.class")) {
                for (String text : ClassFiles.textConstants(classFile)) {
                    if (text.contains("dev/netns/docker") || text.contains("dev.netns.docker")) {
                        offenders.add(classFile + " -> " + text);
                    }
                }
            }
        }
        assertThat(offenders).as("references from the core to dev.netns.docker").isEmpty();
    }

    @Test
    void thePackageGraphHasNoCycleOnceTheCoreIsOneLayer() {
        Map<String, Set<String>> graph = packageGraph();
        assertThat(graph).as("the packages found").containsOnlyKeys("core", "docker");
        assertThat(graph.get("docker")).containsExactly("core");
        assertThat(graph.get("core")).isEmpty();
    }

    /** Which packages (core, docker; {@code dev.netns} and {@code dev.netns.internal} as core) each one uses. */
    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String classFile : ClassFiles.all()) {
            if (classFile.equals("module-info.class")) {
                continue;
            }
            String from = layer(packageOf(classFile));
            Set<String> uses = graph.computeIfAbsent(from, key -> new TreeSet<>());
            for (String text : ClassFiles.textConstants(classFile)) {
                Matcher matcher = REFERENCE.matcher(text);
                while (matcher.find()) {
                    String to = layer(matcher.group(1) == null ? "" : matcher.group(1));
                    if (!to.equals(from)) {
                        uses.add(to);
                    }
                }
            }
        }
        return graph;
    }

    /** {@code dev/netns/docker/X.class} is {@code docker}, {@code dev/netns/X.class} is {@code ""}. */
    private static String packageOf(String classFile) {
        String dir = classFile.contains("/") ? classFile.substring(0, classFile.lastIndexOf('/')) : "";
        return dir.equals("dev/netns") ? "" : dir.replaceFirst("^dev/netns/", "");
    }

    private static String layer(String subpackage) {
        return subpackage.isEmpty() || subpackage.equals("internal") ? "core" : subpackage;
    }
}
