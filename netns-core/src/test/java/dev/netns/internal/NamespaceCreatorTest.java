package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceId;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.ThreadNamespace;
import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The creator thread: back home (or gone) before a create returns, started from home, retired and
 * replaced when it cannot get home.
 */
@RequiresPrivileges
class NamespaceCreatorTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void noThreadIsInANewOrDeletedNamespaceRightAfterCreateCloseAndDeleteReturn() {
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new dev.netns.DefaultNamespaceResolver(), executors);
            for (int round = 0; round < 20; round++) {
                String name = namespaces.newName();
                NamespaceId named;
                try (NsHandle handle = template.createNamed(name)) {
                    named = handle.id();
                    assertThat(threadsIn(named)).as("round %d: threads in %s after createNamed", round, name).isEmpty();
                }
                assertThat(threadsIn(named)).as("round %d: after close", round).isEmpty();
                template.deleteNamed(name);
                assertThat(threadsIn(named)).as("round %d: after deleteNamed", round).isEmpty();
                try (NsHandle anonymous = template.create()) {
                    assertThat(threadsIn(anonymous.id())).as("round %d: after create", round).isEmpty();
                }
            }
            assertThat(creators()).hasSize(1).allSatisfy(creator -> assertThat(creator.host()).isTrue());
        }
    }

    @Test
    void aCreatorThatCannotGetHomeIsRetiredAndItsSuccessorIsStartedAtHomeFromACallerInsideANamespace() throws Exception {
        Netns.newNamed(namespaces.newName()).close(); // a creator exists
        int retiredTid = creators().get(0).tid();
        OnThread.call(() -> {
            try (NsHandle home = Netns.get(); NsHandle elsewhere = NamespaceCreatorTest.createAnonymous()) {
                Netns.set(elsewhere);
                try {
                    NamespaceCreator.instance().failNextHomecoming();
                    try (NsHandle first = Netns.newNamed(namespaces.newName())) {
                        assertThat(ProcFs.threadIds()).as("the retired creator is gone when the call returns")
                                .doesNotContain(retiredTid);
                        assertThat(threadsIn(first.id())).isEmpty();
                    }
                    try (NsHandle second = Netns.newNamed(namespaces.newName())) {
                        assertThat(threadsIn(second.id())).isEmpty();
                    }
                    assertThat(creators()).as("one new creator, at home").hasSize(1)
                            .allSatisfy(creator -> assertThat(creator.host()).isTrue());
                    assertThat(threadsIn(elsewhere.id())).as("only the caller is inside its namespace")
                            .extracting(ThreadNamespace::tid).containsExactly(Syscalls.gettid());
                } finally {
                    Netns.set(home);
                }
            }
            return null;
        });
    }

    @Test
    void concurrentCallersSomeDiscardingAheadAndInterruptedOrNotEachGetTheirOwnNamespace() throws Exception {
        int callers = 8;
        int each = 25;
        java.util.Set<NamespaceId> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        if ((caller + i) % 3 == 0) {
                            NamespaceCreator.instance().request().discard(); // asked for ahead, then not wanted
                        }
                        if ((caller + i) % 5 == 0) {
                            Thread.currentThread().interrupt();
                        }
                        int fd = NamespaceCreator.instance().newNetworkNamespace();
                        try {
                            assertThat(Thread.interrupted()).as("the interrupt is kept").isEqualTo((caller + i) % 5 == 0);
                            ids.add(Syscalls.idOf(fd));
                        } finally {
                            Syscalls.closeQuietly(fd);
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // nsfs inode numbers are reused once a namespace is freed, so distinct ids prove nothing here;
        // every call returned a namespace, none of them the host's, and the creator is home.
        assertThat(ids).doesNotContain(Syscalls.idOf("/proc/self/ns/net", null));
        assertThat(creators()).hasSize(1).allSatisfy(creator -> assertThat(creator.host()).isTrue());
    }

    @Test
    void aNamespaceAskedForAheadIsTakenOnceOrClosedWhenDiscarded() {
        NamespaceId home = Syscalls.idOf("/proc/self/ns/net", null);
        java.util.List<String> fdsBefore = dev.netns.testsupport.Fds.targets();
        NamespaceCreator.instance().request().discard();
        assertThat(dev.netns.testsupport.Fds.addedSince(fdsBefore)).as("a discarded namespace is closed").isEmpty();
        assertThat(creators()).allSatisfy(creator -> assertThat(creator.host()).isTrue());

        NamespaceCreator.Pending pending = NamespaceCreator.instance().request();
        int fd = pending.await();
        try {
            assertThat(pending.taken()).isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(pending::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("taken or discarded already");
            pending.discard(); // after await: leaves the taken namespace alone
            assertThat(Syscalls.idOf(fd)).as("still open, not the host's").isNotEqualTo(home);
        } finally {
            Syscalls.closeQuietly(fd);
        }
        assertThat(dev.netns.testsupport.Fds.addedSince(fdsBefore)).isEmpty();
    }

    @Test
    void aNamedCreateWhoseFileCannotBeMadeWhileItsEarlyNamespaceCannotGetHomeLeavesNothing() throws Exception {
        java.nio.file.Path dir = dev.netns.testsupport.ChildJvm.worldReadableTempDir("nt-early-");
        java.nio.file.Path runDir = dir.resolve("netns");
        NamedNamespaces named = new NamedNamespaces(runDir);
        try {
            String prepare = namespaces.newName();
            Syscalls.closeQuietly(named.create(prepare)); // the run dir is a shared mount: creates ask ahead
            named.delete(prepare);
            dev.netns.testsupport.Commands.check("mount", "-o", "remount,bind,ro", runDir.toString());
            int retiredTid = creators().get(0).tid();
            List<String> fdsBefore = dev.netns.testsupport.Fds.targets();
            String name = namespaces.newName();

            NamespaceCreator.instance().failNextHomecoming();
            Thread.currentThread().interrupt();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> named.create(name))
                    .isInstanceOf(dev.netns.NetnsException.class).hasMessageContaining("EROFS");
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();

            assertThat(ProcFs.threadIds()).as("the creator that served the early request retired and is gone")
                    .doesNotContain(retiredTid);
            assertThat(dev.netns.testsupport.Fds.addedSince(fdsBefore)).as("the early namespace was closed").isEmpty();
            assertThat(Netns.threads()).filteredOn(thread -> !thread.pinnedWorker())
                    .allSatisfy(thread -> assertThat(thread.host()).as(thread.toString()).isTrue());
            assertThat(runDir.resolve(name)).doesNotExist();
        } finally {
            named.close();
            dev.netns.testsupport.Mounts.unmountAllUnder(dir);
            dev.netns.testsupport.ChildJvm.deleteRecursively(dir);
        }
    }

    private static NsHandle createAnonymous() {
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            return new NamespaceTemplate(new dev.netns.DefaultNamespaceResolver(), executors).create();
        }
    }

    private static List<ThreadNamespace> threadsIn(NamespaceId id) {
        return Netns.threads().stream().filter(thread -> id.equals(thread.netns())).toList();
    }

    private static List<ThreadNamespace> creators() {
        return Netns.threads().stream().filter(thread -> thread.name().equals("netns-creator")).toList();
    }
}
