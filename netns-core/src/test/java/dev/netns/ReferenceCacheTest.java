package dev.netns;

import static dev.netns.NamespaceTemplateTest.here;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresPrivileges
class ReferenceCacheTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void aNameDeletedAndMadeAgainByThisJvmReachesTheNewNamespaceByNameAndAlias() {
        String name = namespaces.newName();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors,
                    Map.of("backend", "name:" + name));
            NamespaceId first;
            try (NsHandle made = template.createNamed(name)) {
                first = made.id();
            }
            assertThat(template.<NamespaceId>execute(name, ns -> here())).isEqualTo(first);
            assertThat(template.<NamespaceId>execute("backend", ns -> here())).isEqualTo(first);

            template.deleteNamed(name);
            assertThatThrownBy(() -> template.execute("backend", ns -> here())).isInstanceOf(NamespaceNotFoundException.class);
            NamespaceId second;
            try (NsHandle made = template.createNamed(name)) {
                second = made.id();
            }
            assertThat(second).isNotEqualTo(first);
            assertThat(template.<NamespaceId>execute(name, ns -> here())).isEqualTo(second);
            assertThat(template.<NamespaceId>execute("backend", ns -> here())).isEqualTo(second);
            assertThat(template.submit("backend", ns -> here())).succeedsWithin(Duration.ofMinutes(1)).isEqualTo(second);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(executors.executors()) // the old one retired
                    .extracting(ExecutorInfo::namespace).containsExactly(second));
            assertThat(executors.executors()).extracting(ExecutorInfo::label).containsExactly("backend");
        }
    }

    @Test
    void aNameMadeAgainByIpWhileTheOldExecutorStillHoldsTheOldNamespaceReachesTheNewOne() {
        String name = namespaces.ipNetnsAdd();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors,
                    Map.of("backend", name));
            NamespaceId first = template.execute("backend", ns -> here());

            Commands.check("ip", "netns", "del", name); // not this JVM: the old executor lives on and holds it
            Commands.check("ip", "netns", "add", name);
            assertThat(executors.executors()).extracting(ExecutorInfo::namespace).containsExactly(first);

            NamespaceId second = template.execute("backend", ns -> here());
            try (NsHandle now = Netns.fromName(name)) {
                assertThat(second).isEqualTo(now.id()).isNotEqualTo(first);
            }
            assertThat(template.<NamespaceId>execute(name, ns -> here())).isEqualTo(second);
            assertThat(executors.executors()).extracting(ExecutorInfo::namespace).containsExactlyInAnyOrder(first, second);
        }
    }

    @Test
    void entriesFollowTheRunDirTheCacheIsGiven() {
        AtomicReference<Path> runDir = new AtomicReference<>(Path.of("/run/netns"));
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            ReferenceCache cache = new ReferenceCache(NamespaceAliases.of(Map.of()), new DefaultNamespaceResolver(), executors,
                    runDir::get);
            ReferenceCache.Target before = cache.target("blue");
            assertThat(cache.target("blue")).isSameAs(before);

            runDir.set(Path.of("/tmp/elsewhere"));
            ReferenceCache.Target after = cache.target("blue");
            assertThat(after).isNotSameAs(before);
            assertThat(after.runDir()).isEqualTo(Path.of("/tmp/elsewhere"));
            assertThat(after.reference()).isEqualTo(before.reference());
        }
    }

    @Test
    void theCacheStaysBounded() {
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            ReferenceCache cache = new ReferenceCache(NamespaceAliases.of(Map.of("backend", "docker:web")),
                    new DefaultNamespaceResolver(), executors, Netns::runDirectory);
            for (int pid = 1; pid <= ReferenceCache.MAX_ENTRIES * 3; pid++) {
                cache.target("pid:" + pid);
                assertThat(cache.size()).isLessThanOrEqualTo(ReferenceCache.MAX_ENTRIES);
            }
            ReferenceCache.Target aliased = cache.target("backend");
            assertThat(aliased.alias()).isEqualTo("backend");
            assertThat(aliased.reference()).isEqualTo(new NamespaceReference("docker", "web"));
            assertThat(aliased.file()).isNull();
        }
    }
}
