package dev.netns;

import static dev.netns.NamespaceTemplateTest.here;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.internal.Syscalls;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The file the reference cache stats is the namespace the resolver opens, for every built-in scheme. */
@RequiresPrivileges
class NamespaceFileTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final DefaultNamespaceResolver resolver = new DefaultNamespaceResolver();

    @Test
    void everyBuiltInReferenceStatsToTheNamespaceTheResolverOpens() throws Exception {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(resolver, executors);
            long pid = ProcessHandle.current().pid();
            int workerTid = template.execute(name, ns -> Syscalls.gettid()); // a thread inside the namespace
            Process child = template.start(name, new ProcessBuilder("sleep", "60")); // a process inside it
            try {
                NamespaceId inside;
                try (NsHandle ns = Netns.fromName(name)) {
                    inside = ns.id();
                }
                Map<String, NamespaceId> expected = Map.of("name:" + name, inside, "path:" + Netns.runDirectory().resolve(name),
                        inside, "pid:" + child.pid(), inside, "thread:" + pid + "/" + workerTid, inside, "host", Netns.hostId(),
                        "current", Netns.hostId());
                expected.forEach((text, id) -> {
                    NamespaceReference reference = NamespaceReference.parse(text);
                    try (NsHandle opened = resolver.resolve(reference)) {
                        assertThat(opened.id()).as(text).isEqualTo(id);
                        assertThat(NamespaceFile.of(reference, Netns.runDirectory()).currentId()).as(text).isEqualTo(id);
                    }
                });
                assertThat(inside).isNotEqualTo(Netns.hostId());
            } finally {
                child.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void currentIsTheCallingThreadsNamespaceAndHostTheJvmsWhereverItIsStated() {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(resolver, executors);
            List<NamespaceId> seen = template.execute(name, ns -> List.of(
                    NamespaceFile.of(NamespaceReference.parse("current"), Netns.runDirectory()).currentId(),
                    NamespaceFile.of(NamespaceReference.parse("host"), Netns.runDirectory()).currentId(), here()));
            assertThat(seen.get(0)).isEqualTo(seen.get(2)).isNotEqualTo(Netns.hostId());
            assertThat(seen.get(1)).isEqualTo(Netns.hostId());
        }
    }

    @Test
    void schemesOfExtraResolversHaveNoFile() {
        assertThat(NamespaceFile.of(new NamespaceReference("docker", "web-1"), Netns.runDirectory())).isNull();
    }

    @Test
    void nothingThereStatsToNoId() {
        String name = namespaces.newName();
        assertThat(NamespaceFile.of(NamespaceReference.name(name), Netns.runDirectory()).currentId()).isNull();
        assertThat(NamespaceFile.of(NamespaceReference.parse("pid:2147483647"), Netns.runDirectory()).currentId()).isNull();
    }

    @Test
    void aLinkInTheRunDirIsNotFollowedByTheStatNorByTheTemplate() throws Exception {
        String name = namespaces.newName();
        Path link = Netns.runDirectory().resolve(name);
        Files.createDirectories(Netns.runDirectory());
        Files.createSymbolicLink(link, Path.of("/proc/self/ns/net"));
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(resolver, executors);
            assertThat(template.<NamespaceId>execute("host", ns -> here())).isEqualTo(Netns.hostId()); // the host's executor is live
            assertThat(NamespaceFile.of(NamespaceReference.name(name), Netns.runDirectory()).currentId())
                    .isNotNull().isNotEqualTo(Netns.hostId());
            for (int i = 0; i < 2; i++) { // the second time from the cache
                assertThatThrownBy(() -> template.execute(name, ns -> here())).isInstanceOf(NotANamespaceException.class);
            }
        } finally {
            Files.deleteIfExists(link);
        }
    }
}
