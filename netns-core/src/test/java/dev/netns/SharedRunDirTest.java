package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.OwnDefaultRunDir;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A create skips preparing the run dir (mkdir, flock, making it a shared mount) when the run dir
 * already is a shared mount point, and only then: the shortcut is tried against a run dir of the
 * test's own that is made private, unmounted, replaced or bound elsewhere between creates. Whether
 * a create prepared the run dir shows by the lock it takes: while another process holds the run
 * dir's flock, a create that prepares waits and one that skips does not.
 */
@RequiresPrivileges
class SharedRunDirTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final ExecutorService caller = Executors.newSingleThreadExecutor();
    @RegisterExtension
    final OwnDefaultRunDir ownRunDir = new OwnDefaultRunDir("nt-shared-rundir-");

    private Path dir;
    private Path runDir;
    private Process lockHolder;

    @BeforeEach
    void useARunDirOfTheTestsOwn() {
        dir = ownRunDir.dir();
        runDir = ownRunDir.runDir();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        releaseRunDirLock();
        caller.shutdownNow();
        caller.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void aRunDirThatIsASharedMountPointIsUsedAsItIsWithoutTakingItsLock() throws Exception {
        String first = namespaces.newName();
        Netns.newNamed(first).close();
        assertThat(topMountAt(runDir)).as("the first create made the run dir a shared mount point").contains(" shared:");

        holdRunDirLock();
        String second = namespaces.newName();
        createOnCaller(second).get(60, TimeUnit.SECONDS); // would wait for the lock if it prepared the run dir
        assertThat(lockHolder.isAlive()).as("the lock was held all along").isTrue();
        assertThat(Netns.listNamed()).containsExactlyInAnyOrder(first, second);
        assertThat(mountsAt(runDir.resolve(second))).hasSize(1);
    }

    @Test
    void aRunDirMadePrivateBetweenCreatesIsPreparedAndSharedAgain() throws Exception {
        Netns.newNamed(namespaces.newName()).close();
        Commands.check("mount", "--make-private", runDir.toString());
        assertThat(topMountAt(runDir)).doesNotContain(" shared:");

        String second = preparedOnceTheLockIsReleased();
        assertThat(topMountAt(runDir)).as("shared again").contains(" shared:");
        assertThat(mountsAt(runDir.resolve(second))).hasSize(1);

        // Shared for real: a peer of the run dir (a bind mount of it made now) sees the next name's mount.
        Path peer = Files.createDirectory(dir.resolve("peer"));
        Commands.check("mount", "--bind", runDir.toString(), peer.toString());
        String third = namespaces.newName();
        Netns.newNamed(third).close();
        assertThat(mountsAt(peer.resolve(third))).as("the name's mount propagated to the run dir's peer").hasSize(1);
    }

    @Test
    void anUnmountedRunDirIsBoundOntoItselfAgainByTheNextCreate() throws Exception {
        String first = namespaces.newName();
        Netns.newNamed(first).close();
        Commands.check("umount", "-l", runDir.toString()); // the run dir's own mount, and the name's with it
        assertThat(mountsAt(runDir)).isEmpty();

        String second = preparedOnceTheLockIsReleased();
        assertThat(topMountAt(runDir)).as("a shared mount point again").contains(" shared:");
        try (NsHandle byName = Netns.fromName(second)) {
            assertThat(byName.isOpen()).isTrue();
        }
        Netns.deleteNamed(first); // the stale file the unmount left
        assertThat(Netns.listNamed()).containsExactly(second);
    }

    @Test
    void aRunDirReplacedBetweenCreatesIsPreparedAnewAndTheOldOneIsLeftAlone() throws Exception {
        String first = namespaces.newName();
        Netns.newNamed(first).close();
        Path old = dir.resolve("old");
        Files.createDirectory(old);
        Commands.check("mount", "--move", runDir.toString(), old.toString()); // the shared mount, names and all, moves away
        Files.move(runDir, dir.resolve("renamed")); // and the directory under it: a new, empty one takes its place
        Files.createDirectory(runDir);

        String second = preparedOnceTheLockIsReleased();
        assertThat(topMountAt(runDir)).contains(" shared:");
        assertThat(Netns.listNamed()).as("the new run dir holds only the new name").containsExactly(second);
        assertThat(mountsAt(old.resolve(first))).as("the old run dir keeps its name's mount").hasSize(1);
        assertThat(mountsAt(old.resolve(second))).as("nothing of the new name lands in the old run dir").isEmpty();
    }

    @Test
    void aRunDirThatIsASharedBindMountOfAnotherDirectoryIsUsedAsItIs() throws Exception {
        Path source = Files.createDirectory(dir.resolve("source"));
        Files.createDirectory(runDir);
        Commands.check("mount", "--bind", source.toString(), runDir.toString());
        Commands.check("mount", "--make-shared", runDir.toString());
        assertThat(topMountAt(runDir)).contains(" shared:");

        holdRunDirLock();
        String name = namespaces.newName();
        createOnCaller(name).get(60, TimeUnit.SECONDS);
        assertThat(mountsAt(runDir)).as("not bound onto itself on top of the bind mount").hasSize(1);
        assertThat(mountsAt(runDir.resolve(name))).hasSize(1);
        assertThat(source.resolve(name)).as("the name's file is the source directory's").exists();
    }

    /**
     * Creates a name while another process holds the run dir's lock, checks the create waits for
     * it (it prepares the run dir), and returns the name once the lock is released and it is done.
     */
    private String preparedOnceTheLockIsReleased() throws Exception {
        holdRunDirLock();
        String name = namespaces.newName();
        Future<?> create = createOnCaller(name);
        Thread.sleep(1000);
        assertThat(create.isDone()).as("the create waits for the run dir's lock").isFalse();
        releaseRunDirLock();
        create.get(60, TimeUnit.SECONDS);
        return name;
    }

    private Future<?> createOnCaller(String name) {
        return CompletableFuture.runAsync(() -> Netns.newNamed(name).close(), caller);
    }

    /** Starts a process that holds an exclusive flock on the run dir (as a preparing create takes it) until destroyed. */
    private void holdRunDirLock() throws IOException {
        Files.createDirectories(runDir);
        // --close: the lock stays with flock itself, not the command, so ending flock releases it.
        lockHolder = new ProcessBuilder("flock", "--exclusive", "--close", runDir.toString(), "sh", "-c",
                "echo locked; exec sleep 120").redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(lockHolder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(output.readLine()).isEqualTo("locked");
    }

    private void releaseRunDirLock() throws InterruptedException {
        if (lockHolder != null) {
            lockHolder.descendants().forEach(ProcessHandle::destroy);
            lockHolder.destroy();
            lockHolder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The mountinfo line of the topmost mount at a path, or an empty string. */
    private static String topMountAt(Path path) throws IOException {
        List<String> mounts = mountsAt(path);
        return mounts.isEmpty() ? "" : mounts.get(mounts.size() - 1);
    }

    /** The mountinfo lines of the mounts at a path, bottom first. */
    private static List<String> mountsAt(Path path) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(line -> line.split(" ")[4].equals(path.toString())).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
