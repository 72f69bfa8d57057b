package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TempRunDirs;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A template put together from parts of a runtime ({@code new NamespaceTemplate(resolver, executors)}
 * with a resolver of that runtime) works in that runtime, as its parts do: it creates names in its
 * run dir, and its reference cache looks names up there, never in another runtime's.
 */
class TemplateRuntimeAttackTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @RegisterExtension
    final TempRunDirs runDirs = new TempRunDirs();

    @Test
    @RequiresPrivileges
    void aTemplateOfAResolverOfARuntimeCreatesAndFindsNamesInThatRuntimesRunDirOnly() {
        Path dir = runDirs.create();
        String name = namespaces.newName();
        try (NetnsRuntime runtime = NetnsRuntime.builder().runDirectory(dir).build();
                NamespaceExecutors executors = new NamespaceExecutors(runtime, ExecutorSettings.defaults())) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(runtime), executors);
            assertThat(template.runtime()).isSameAs(runtime);
            try (NsHandle inRuntime = template.createNamed(name); NsHandle inDefault = Netns.newNamed(name)) {
                assertThat(dir.resolve(name)).exists();
                assertThat(template.execute(name, NsHandle::id)).isEqualTo(inRuntime.id());
                template.execute(inDefault, NsHandle::id); // an executor now holds the default run dir's namespace
                assertThat(template.execute(name, NsHandle::id)).as("the name, as the template's resolver finds it")
                        .isEqualTo(inRuntime.id());
                template.deleteNamed(name);
                assertThat(runtime.listNamed()).doesNotContain(name);
            } finally {
                Netns.deleteNamed(name);
            }
        }
    }

    @Test
    @RequiresPrivileges
    void givenAResolverOfAnotherRuntimeATemplateFindsNamesWhereTheResolverDoes() {
        String name = namespaces.newName();
        try (NetnsRuntime mine = NetnsRuntime.builder().runDirectory(runDirs.create()).build();
                NetnsRuntime resolvers = NetnsRuntime.builder().runDirectory(runDirs.create()).build();
                NamespaceExecutors executors = new NamespaceExecutors(mine, ExecutorSettings.defaults())) {
            NamespaceTemplate template = new NamespaceTemplate(mine, new DefaultNamespaceResolver(resolvers), executors, Map.of());
            try (NsHandle inMine = mine.newNamed(name); NsHandle inResolvers = resolvers.newNamed(name)) {
                template.execute(inMine, NsHandle::id); // an executor now holds the namespace of the name in the other run dir
                assertThat(template.execute(name, NsHandle::id)).as("the name, as the template's resolver finds it")
                        .isEqualTo(inResolvers.id());
            } finally {
                mine.deleteNamed(name);
                resolvers.deleteNamed(name);
            }
        }
    }
}
