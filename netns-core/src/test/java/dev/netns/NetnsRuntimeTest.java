package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TempRunDirs;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NetnsRuntime}: runtimes side by side, each with its own run dir and handles; closing one; the default one. */
class NetnsRuntimeTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @RegisterExtension
    final TempRunDirs runDirs = new TempRunDirs();

    @Test
    @RequiresPrivileges
    void twoRuntimesWithDifferentRunDirsCreateListOpenAndDeleteOnlyTheirOwnNames() {
        Path dirA = runDirs.create();
        Path dirB = runDirs.create();
        String nameA = namespaces.newName();
        String nameB = namespaces.newName();
        try (NetnsRuntime a = NetnsRuntime.builder().runDirectory(dirA).build();
                NetnsRuntime b = NetnsRuntime.builder().runDirectory(dirB).build();
                NsHandle inA = a.newNamed(nameA);
                NsHandle inB = b.newNamed(nameB)) {
            assertThat(a.runDirectory()).isEqualTo(dirA);
            assertThat(dirA.resolve(nameA)).exists();
            assertThat(dirB.resolve(nameA)).doesNotExist();
            assertThat(a.listNamed()).containsExactly(nameA);
            assertThat(b.listNamed()).containsExactly(nameB);
            assertThat(Netns.listNamed()).doesNotContain(nameA, nameB);
            assertThat(a.namesOf(inA)).containsExactly(nameA);
            assertThat(b.namesOf(inA)).isEmpty();
            assertThatThrownBy(() -> a.fromName(nameB)).isInstanceOf(NamespaceNotFoundException.class)
                    .hasMessageContaining(dirA.toString());
            assertThatThrownBy(() -> b.deleteNamed(nameA)).isInstanceOf(NamespaceNotFoundException.class);
            try (NsHandle again = a.fromName(nameA)) {
                assertThat(again.equal(inA)).isTrue();
            }

            a.deleteNamed(nameA);

            assertThat(a.listNamed()).isEmpty();
            assertThat(b.listNamed()).containsExactly(nameB);
            b.deleteNamed(nameB);
            assertThat(dirB.resolve(nameB)).doesNotExist();
        }
    }

    @Test
    void aRuntimesOpenHandlesAreTheHandlesOpenedThroughIt() {
        String source = "test:" + UUID.randomUUID();
        try (NetnsRuntime a = NetnsRuntime.builder().build(); NetnsRuntime b = NetnsRuntime.builder().build();
                NsHandle opened = a.open("/proc/self/ns/net", source);
                NsHandle byTheFacade = Netns.get()) {
            assertThat(opened.source()).isEqualTo(source);
            assertThat(sources(a)).containsExactly(source);
            assertThat(sources(b)).isEmpty();
            assertThat(Netns.openHandles()).noneMatch(info -> info.source().equals(source))
                    .anyMatch(info -> info.fd() == byTheFacade.fd());
            try (NsHandle resolved = new DefaultNamespaceResolver(b).resolve("host")) {
                assertThat(sources(b)).containsExactly("host");
                assertThat(resolved.equal(opened)).isTrue();
            }
            opened.close();
            assertThat(a.openHandles()).isEmpty();
        }
    }

    @Test
    void openRefusesAFileThatIsNoNamespaceWithoutOpeningIt() {
        try (NetnsRuntime runtime = NetnsRuntime.builder().build()) {
            assertThatThrownBy(() -> runtime.open("/proc/self/status", "test:status", "Opening a status file"))
                    .isInstanceOf(NotANamespaceException.class)
                    .hasMessageContaining("Opening a status file").hasMessageContaining("/proc/self/status");
            assertThat(runtime.openHandles()).isEmpty();
        }
    }

    @Test
    @RequiresPrivileges
    void aClosedRuntimeRefusesWorkWithAMessageNamingItButKeepsItsHandlesAndViews() throws Exception {
        Path dir = runDirs.create();
        String name = namespaces.newName();
        NetnsRuntime runtime = NetnsRuntime.builder().runDirectory(dir).build();
        BlockingQueue<NamedNamespaceEvent> events = new LinkedBlockingQueue<>();
        List<Thread> watchThreadsBefore = watchThreads();
        runtime.watchNamed(events::add);
        List<Thread> watchThreads = watchThreads();
        watchThreads.removeAll(watchThreadsBefore);
        assertThat(watchThreads).hasSize(1);
        NsHandle held = runtime.newNamed(name);
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(new NamedNamespaceEvent(NamedNamespaceEvent.Kind.ADDED, name));

        runtime.close();
        runtime.close();

        assertThat(runtime.isClosed()).isTrue();
        Map<String, ThrowingCallable> operations = Map.of(
                "newNamed", () -> runtime.newNamed(namespaces.newName()),
                "deleteNamed", () -> runtime.deleteNamed(name),
                "fromName", () -> runtime.fromName(name),
                "listNamed", runtime::listNamed,
                "namesOf", () -> runtime.namesOf(held),
                "watchNamed", () -> runtime.watchNamed(event -> { }),
                "open", () -> runtime.open("/proc/self/ns/net", "test:closed"),
                "template", () -> new NamespaceTemplate(runtime).create());
        operations.forEach((operation, call) -> assertThatThrownBy(call).as(operation)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed").hasMessageContaining(dir.toString()));
        assertThat(held.isOpen()).isTrue();
        assertThat(runtime.openHandles()).extracting(HandleInfo::source).containsExactly("name:" + name);
        assertThat(runtime.runDirectory()).isEqualTo(dir);
        assertThat(watchThreads.get(0).isAlive()).as("the watch's thread after close").isFalse();
        try (NetnsRuntime other = NetnsRuntime.builder().runDirectory(dir).build()) {
            other.deleteNamed(name); // the name outlives the runtime that made it, as with ip netns
        }
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("no event after close").isNull();
        held.close();
    }

    @Test
    void theDefaultRuntimeCannotBeClosedAndServesTheFacade() {
        NetnsRuntime runtime = NetnsRuntime.defaultRuntime();
        runtime.close();
        assertThat(runtime.isClosed()).isFalse();
        assertThat(runtime.isDefault()).isTrue();
        assertThat(NetnsRuntime.defaultRuntime()).isSameAs(runtime);
        assertThat(runtime.runDirectory()).isEqualTo(Netns.runDirectory());
        try (NsHandle current = Netns.get()) {
            assertThat(runtime.openHandles()).anyMatch(info -> info.fd() == current.fd() && info.source().equals("current"));
        }
        assertThat(runtime.leakedHandles()).isEqualTo(Netns.leakedHandles());
    }

    @Test
    void theFacadesSettingsAreTheDefaultRuntimesAndNoOtherRuntimes() {
        Path previousDir = Netns.runDirectory();
        boolean previousTracking = NetnsRuntime.defaultRuntime().tracksStackTraces();
        boolean previousLogging = NetnsRuntime.defaultRuntime().logsLeaks();
        Path elsewhere = runDirs.create();
        try (NetnsRuntime built = NetnsRuntime.builder().build()) {
            Netns.setRunDirectory(elsewhere);
            Netns.trackStackTraces(!previousTracking);
            Netns.logLeaks(!previousLogging);

            assertThat(NetnsRuntime.defaultRuntime().runDirectory()).isEqualTo(elsewhere);
            assertThat(NetnsRuntime.defaultRuntime().tracksStackTraces()).isEqualTo(!previousTracking);
            assertThat(NetnsRuntime.defaultRuntime().logsLeaks()).isEqualTo(!previousLogging);
            assertThat(built.runDirectory()).isEqualTo(Path.of("/run/netns"));
            assertThat(built.tracksStackTraces()).isFalse();
            assertThat(built.logsLeaks()).isTrue();
        } finally {
            Netns.setRunDirectory(previousDir);
            Netns.trackStackTraces(previousTracking);
            Netns.logLeaks(previousLogging);
        }
    }

    @Test
    void aRelativeRunDirIsRefusedWhenTheRuntimeIsBuilt() {
        NetnsRuntime.Builder builder = NetnsRuntime.builder().runDirectory(Path.of("relative/netns"));
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative/netns");
        assertThatThrownBy(() -> NetnsRuntime.builder().trackStackTracesHint(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @RequiresPrivileges
    void aTemplateOfARuntimeCreatesRunsInAndDeletesNamesOfItsRunDirWithItsHandles() {
        Path dir = runDirs.create();
        String name = namespaces.newName();
        try (NetnsRuntime runtime = NetnsRuntime.builder().runDirectory(dir).build()) {
            NamespaceTemplate template = new NamespaceTemplate(runtime);
            try (NamespaceExecutors executors = template.executors(); NsHandle created = template.createNamed(name)) {
                assertThat(template.runtime()).isSameAs(runtime);
                assertThat(dir.resolve(name)).exists();
                assertThat(template.execute(name, NsHandle::id)).isEqualTo(created.id());
                assertThat(runtime.openHandles()).extracting(HandleInfo::source).contains("name:" + name, "executor:" + name);
                assertThat(Netns.openHandles()).extracting(HandleInfo::source).doesNotContain("executor:" + name);
                template.deleteNamed(name);
                assertThat(runtime.listNamed()).isEmpty();
            }
        }
    }

    @Test
    @RequiresPrivileges
    void aTemplateOfTheDefaultRuntimeFollowsItsRunDirWhenItChanges() {
        Path first = runDirs.create();
        Path second = runDirs.create();
        String name = namespaces.newName();
        Path previous = Netns.runDirectory();
        NamespaceTemplate template = new NamespaceTemplate();
        try (NamespaceExecutors executors = template.executors()) {
            Netns.setRunDirectory(first);
            try (NsHandle inFirst = Netns.newNamed(name)) {
                assertThat(template.execute(name, NsHandle::id)).isEqualTo(inFirst.id()); // an executor now holds it
                Netns.setRunDirectory(second);
                try (NsHandle inSecond = Netns.newNamed(name)) {
                    assertThat(template.execute(name, NsHandle::id)).as("the same name in the new run dir")
                            .isEqualTo(inSecond.id()).isNotEqualTo(inFirst.id());
                    Netns.deleteNamed(name);
                }
                Netns.setRunDirectory(first);
                Netns.deleteNamed(name);
            }
        } finally {
            Netns.setRunDirectory(previous);
        }
    }

    private static List<String> sources(NetnsRuntime runtime) {
        return runtime.openHandles().stream().map(HandleInfo::source).toList();
    }

    private static List<Thread> watchThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("netns-watch-"))
                .collect(java.util.stream.Collectors.toList());
    }
}
