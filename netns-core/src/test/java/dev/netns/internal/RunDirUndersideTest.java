package dev.netns.internal;

import static dev.netns.internal.RunDirFiles.name;
import static dev.netns.internal.RunDirFiles.statNoFollow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceId;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.FileLimit;
import dev.netns.testsupport.OwnTempDir;
import dev.netns.testsupport.RequiresPrivileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The held copy of a run dir's mount that delete looks under names with: it shows the file under
 * every mount, including names made after it, follows a run dir that is replaced, is never used
 * once closed (not even by lookups running while it closes), and is released with its runtime,
 * when the default run dir changes, and when a runtime is dropped unclosed.
 */
@RequiresPrivileges
class RunDirUndersideTest {

    private final Map<Path, NamespaceId> idsBeforeMount = new HashMap<>();
    @RegisterExtension
    final OwnTempDir folder = new OwnTempDir("nt-underside-");

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void showsTheFileUnderEveryMountIncludingNamesMadeAfterTheCopy(boolean tmpfs) throws Exception {
        if (tmpfs) {
            Commands.check("mount", "-t", "tmpfs", "nt-underside", folder.dir().toString());
        }
        Path first = mountedOnNewFile("first");
        try (RunDirUnderside underside = new RunDirUnderside(); RunDirectory runDir = open(folder.dir())) {
            assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("first"), new int[1]))
                    .as("the file under the mount, not the namespace").isNotNull()
                    .satisfies(under -> assertThat(under.isRegularFile()).isTrue())
                    .extracting(FileStat::id).isEqualTo(fileIdBeforeMount(first));
            assertThat(underside.holdsCopy()).isTrue();

            Path fifo = folder.dir().resolve("fifo");
            Commands.check("mkfifo", fifo.toString());
            NamespaceId fifoId = statNoFollow(fifo).id();
            Commands.check("mount", "--bind", "/proc/self/ns/net", fifo.toString());
            Files.createSymbolicLink(folder.dir().resolve("link"), Path.of("/proc/1/ns/net"));

            FileStat underFifo = underside.fileUnder(runDir.stat().id(), runDir.fd(), name("fifo"), new int[1]);
            assertThat(underFifo).as("a name made after the copy").isNotNull();
            assertThat(underFifo.typeName()).isEqualTo("a FIFO");
            assertThat(underFifo.id()).isEqualTo(fifoId);
            assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("link"), new int[1]).isSymlink())
                    .as("a link is seen as the link").isTrue();
            assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("missing"), new int[1])).isNull();
        }
    }

    @Test
    void aRunDirReplacedByAnotherFilesystemGetsANewCopyAndTheOldOneIsClosed() throws Exception {
        mountedOnNewFile("before");
        long copiesBefore = Fds.detachedMounts();
        try (RunDirUnderside underside = new RunDirUnderside()) {
            try (RunDirectory runDir = open(folder.dir())) {
                assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("before"), new int[1])).isNotNull();
            }
            assertThat(Fds.detachedMounts()).as("the copy").isEqualTo(copiesBefore + 1);

            Commands.check("mount", "-t", "tmpfs", "nt-underside", folder.dir().toString());
            Path after = mountedOnNewFile("after");
            try (RunDirectory runDir = open(folder.dir())) {
                assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("after"), new int[1]))
                        .as("seen in a copy of the new run dir").isNotNull()
                        .extracting(FileStat::id).isEqualTo(fileIdBeforeMount(after));
                assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("before"), new int[1]))
                        .as("the old run dir's name is not in the new one").isNull();
            }
            assertThat(Fds.detachedMounts()).as("the old copy was closed for the new one").isEqualTo(copiesBefore + 1);
        }
        assertThat(Fds.detachedMounts()).as("closed").isEqualTo(copiesBefore);
    }

    @Test
    void lookupsRunningWhileItClosesNeverUseAClosedOrReusedFd() throws Exception {
        Path file = mountedOnNewFile("busy");
        NamespaceId expected = fileIdBeforeMount(file);
        List<String> fdsBefore = Fds.targets();
        long copiesBefore = Fds.detachedMounts();
        RunDirUnderside underside = new RunDirUnderside();
        AtomicBoolean stop = new AtomicBoolean();
        List<Object> wrong = new CopyOnWriteArrayList<>();
        List<Thread> lookers = new ArrayList<>();
        try (RunDirectory runDir = open(folder.dir())) {
            for (int i = 0; i < 4; i++) {
                Thread looker = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            FileStat under = underside.fileUnder(runDir.stat().id(), runDir.fd(), name("busy"), new int[1]);
                            if (under != null && !under.id().equals(expected)) {
                                wrong.add(under);
                            }
                        } catch (RuntimeException | Error e) {
                            wrong.add(e);
                        }
                    }
                });
                looker.start();
                lookers.add(looker);
            }
            TimeUnit.MILLISECONDS.sleep(200);
            underside.close();
            // Files opened now may get the closed copy's number: a lookup through it would see them.
            List<RunDirectory> reusers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    reusers.add(open(folder.dir()));
                }
                TimeUnit.MILLISECONDS.sleep(200);
            } finally {
                stop.set(true);
                for (Thread looker : lookers) {
                    looker.join(10_000);
                }
                reusers.forEach(RunDirectory::close);
            }
            assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("busy"), new int[1]))
                    .as("closed: seen in a copy made for the lookup and closed again").isNotNull()
                    .extracting(FileStat::id).isEqualTo(expected);
        }
        assertThat(wrong).as("answers other than the file, or failures").isEmpty();
        assertThat(lookers).noneMatch(Thread::isAlive);
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
        assertThat(Fds.detachedMounts()).isEqualTo(copiesBefore);
    }

    @Test
    void aCopyThatCouldNotBeMadeForWantOfFdsIsMadeAtTheNextLookup() throws Exception {
        Path file = mountedOnNewFile("later");
        try (RunDirUnderside underside = new RunDirUnderside(); RunDirectory runDir = open(folder.dir())) {
            long softBefore = FileLimit.soft();
            List<Integer> fillers = new ArrayList<>();
            int[] copyErrno = new int[1];
            assertThat(Errno.isOutOfResources(Errno.EMFILE)).isTrue(); // loaded now: no class is loaded while fds are out
            try {
                FileLimit.setSoft(FileLimit.highestFd() + 32);
                FileLimit.fillFdTable(fillers); // every fd number below the limit taken
                assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("later"), copyErrno))
                        .as("no fd for a copy: no answer").isNull();
            } finally {
                fillers.forEach(Syscalls::closeQuietly);
                FileLimit.setSoft(softBefore);
            }
            assertThat(copyErrno[0]).as("why there was no answer").isEqualTo(Errno.EMFILE);
            assertThat(underside.fileUnder(runDir.stat().id(), runDir.fd(), name("later"), new int[1]))
                    .as("tried again once fds are free").isNotNull()
                    .extracting(FileStat::id).isEqualTo(fileIdBeforeMount(file));
        }
    }

    @Test
    void aRuntimeReleasesItsCopyWhenClosedAndWhenDroppedUnclosed() throws Exception {
        Path runDirPath = folder.dir().resolve("netns");
        long copiesBefore = Fds.detachedMounts();
        try (NetnsRuntime runtime = NetnsRuntime.builder().runDirectory(runDirPath).build()) {
            runtime.newNamed("nt-held").close();
            runtime.deleteNamed("nt-held");
            assertThat(Fds.detachedMounts()).as("the copy, held for the next delete").isEqualTo(copiesBefore + 1);
            runtime.newNamed("nt-held").close();
            runtime.deleteNamed("nt-held");
            assertThat(Fds.detachedMounts()).as("the same copy").isEqualTo(copiesBefore + 1);
        }
        assertThat(Fds.detachedMounts()).as("released with the runtime").isEqualTo(copiesBefore);

        createAndDeleteInADroppedRuntime(runDirPath);
        assertThat(Fds.detachedMounts()).isEqualTo(copiesBefore + 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Fds.detachedMounts() > copiesBefore && System.nanoTime() < deadline) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertThat(Fds.detachedMounts()).as("released when the runtime was collected").isEqualTo(copiesBefore);
    }

    @Test
    void changingTheDefaultRunDirReleasesTheOldOnesCopy() throws Exception {
        Path previous = Netns.runDirectory();
        Netns.setRunDirectory(folder.dir().resolve("one"));
        try {
            Netns.newNamed("nt-default-held").close();
            long copiesBefore = Fds.detachedMounts();
            Netns.deleteNamed("nt-default-held");
            assertThat(Fds.detachedMounts()).as("the copy the delete made").isEqualTo(copiesBefore + 1);
            Netns.setRunDirectory(folder.dir().resolve("two"));
            assertThat(Fds.detachedMounts()).as("gone with the switch").isEqualTo(copiesBefore);
        } finally {
            Netns.setRunDirectory(previous);
        }
    }

    private static void createAndDeleteInADroppedRuntime(Path runDirPath) {
        NetnsRuntime dropped = NetnsRuntime.builder().runDirectory(runDirPath).build();
        dropped.newNamed("nt-dropped").close();
        dropped.deleteNamed("nt-dropped");
    }

    /** A new regular file in the dir with this JVM's namespace bind-mounted onto it. */
    private Path mountedOnNewFile(String name) throws Exception {
        Path file = Files.createFile(folder.dir().resolve(name));
        idsBeforeMount.put(file, statNoFollow(file).id());
        Commands.check("mount", "--bind", "/proc/self/ns/net", file.toString());
        return file;
    }

    private NamespaceId fileIdBeforeMount(Path file) {
        return idsBeforeMount.get(file);
    }

    private static RunDirectory open(Path path) {
        int[] errno = new int[1];
        RunDirectory runDir = RunDirectory.open(path, errno);
        assertThat(runDir).as("open %s: errno %d", path, errno[0]).isNotNull();
        return runDir;
    }
}
