package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.Mounts;
import dev.netns.testsupport.OwnDefaultRunDir;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tries to break the shortcuts of create and delete: the run dir used as it is when it looks
 * shared, the file under a name's mount read from a held copy of the run dir's mount or from its
 * listing, the namespace asked for before the name's file is made (and discarded when the name
 * turns out taken). Each test works in a run dir of its own and checks what another mount namespace sees,
 * how many mounts pile up on a path, and what is left open or mounted afterwards.
 */
@RequiresPrivileges
class PerfShortcutAttackTest {

    private final String prefix = "nt-psa-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000 + "-";
    private final List<Process> processes = new ArrayList<>();
    @RegisterExtension
    final OwnDefaultRunDir ownRunDir = new OwnDefaultRunDir("nt-psa-");

    private Path dir;
    private Path runDir;
    private int counter;

    @BeforeEach
    void useARunDirOfTheTestsOwn() {
        dir = ownRunDir.dir();
        runDir = ownRunDir.runDir();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRunDirInsideASharedMountIsBoundOntoItselfOnceAndItsNamesPropagate() throws Exception {
        Path base = Files.createDirectory(dir.resolve("base"));
        Commands.check("mount", "-t", "tmpfs", "nt-psa-base", base.toString());
        Commands.check("mount", "--make-shared", base.toString());
        runDir = base.resolve("netns");
        Netns.setRunDirectory(runDir);

        String first = newName();
        Netns.newNamed(first).close();
        long other = otherMountNamespace();
        List<String> later = List.of(newName(), newName(), newName());
        for (String name : later) {
            Netns.newNamed(name).close();
        }
        assertThat(Mounts.at(runDir)).as("the run dir bound onto itself once, not once per create").hasSize(1);
        assertThat(Mounts.at(runDir).get(0)).contains(" shared:");
        for (String name : later) {
            assertThat(Mounts.at(runDir.resolve(name))).as(name).hasSize(1);
            assertThat(mountsIn(other, runDir.resolve(name))).as("%s seen in another mount namespace", name).hasSize(1);
        }
        for (String name : later) {
            Netns.deleteNamed(name);
            assertThat(mountsIn(other, runDir.resolve(name))).as("%s gone from the other mount namespace", name).isEmpty();
        }
    }

    @Test
    void aRunDirMadeSlaveBetweenCreatesIsSharedAgainAndPropagates() throws Exception {
        Netns.newNamed(newName()).close();
        Commands.check("mount", "--make-slave", runDir.toString());
        assertThat(Mounts.at(runDir).get(Mounts.at(runDir).size() - 1)).doesNotContain(" shared:");

        String second = newName();
        Netns.newNamed(second).close();
        assertThat(Mounts.at(runDir)).as("no second mount of the run dir").hasSize(1);
        assertThat(Mounts.at(runDir).get(0)).contains(" shared:");
        long other = otherMountNamespace();
        String third = newName();
        Netns.newNamed(third).close();
        assertThat(mountsIn(other, runDir.resolve(third))).as("the next name propagates").hasSize(1);
        assertThat(Mounts.at(runDir.resolve(third))).hasSize(1);
    }

    @Test
    void aRunDirLazilyDetachedWhileAnotherMountNamespaceHoldsItIsPreparedAgain() throws Exception {
        String first = newName();
        Netns.newNamed(first).close();
        long other = otherMountNamespace();
        Commands.check("umount", "-l", runDir.toString());
        assertThat(Mounts.at(runDir)).isEmpty();

        String second = newName();
        Netns.newNamed(second).close();
        assertThat(Mounts.at(runDir)).hasSize(1);
        assertThat(Mounts.at(runDir).get(0)).contains(" shared:");
        assertThat(Mounts.at(runDir.resolve(second))).hasSize(1);
        try (NsHandle handle = Netns.fromName(second)) {
            assertThat(handle.isOpen()).isTrue();
        }
        Netns.deleteNamed(second);
        assertThat(Mounts.at(runDir.resolve(second))).isEmpty();
        assertThat(mountsIn(other, runDir.resolve(second))).as("the detach reached the peer too: nothing stale there")
                .hasSizeLessThanOrEqualTo(1);
    }

    /** 150 fillers a side: the name is past the first 8 KiB read but within 64 KiB; 700: past 64 KiB. */
    @ParameterizedTest
    @ValueSource(ints = {150, 700})
    void aLongOddNameDeepInTheListingIsFoundAndDeleted(int fillers) throws Exception {
        Files.createDirectories(runDir);
        Netns.newNamed(newName()).close(); // prepares the run dir
        fill(fillers);
        String odd = prefix + "é ü\tß-";
        String target = odd + "x".repeat(255 - odd.getBytes(StandardCharsets.UTF_8).length);
        assertThat(target.getBytes(StandardCharsets.UTF_8)).hasSize(255);
        Netns.newNamed(target).close();
        fill(fillers); // before and after: whichever order the filesystem lists in, the name is past 64 KiB
        List<String> fdsBefore = Fds.targets();

        try (NsHandle handle = Netns.fromName(target)) {
            assertThat(handle.isOpen()).isTrue();
        }
        Netns.deleteNamed(target);
        assertThat(Files.exists(runDir.resolve(target), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Mounts.at(runDir.resolve(target))).isEmpty();
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
    }

    @Test
    void manyConcurrentCreatesWhoseCallersAreInterruptedAllSucceedAndLeaveNothing() throws Exception {
        Netns.newNamed(newName()).close();
        List<String> fdsBefore = Fds.targets();
        int mountsBefore = Mounts.at(runDir).size();
        List<String> namesMountedBefore = allMountsUnder(runDir);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<String> names = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            List<String> own = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                own.add(newName());
            }
            names.addAll(own);
            callers.add(new Thread(() -> {
                for (String name : own) {
                    try {
                        Netns.newNamed(name).close();
                        Thread.interrupted();
                        Netns.deleteNamed(name);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
                Thread.interrupted();
            }, "nt-psa-caller-" + t));
        }
        AtomicBoolean interrupting = new AtomicBoolean(true);
        Thread interrupter = new Thread(() -> {
            while (interrupting.get()) {
                callers.forEach(Thread::interrupt);
                Thread.onSpinWait();
            }
        });
        callers.forEach(Thread::start);
        interrupter.start();
        for (Thread caller : callers) {
            caller.join(120_000);
            assertThat(caller.isAlive()).as(caller.getName() + " still running after 120 s").isFalse();
        }
        interrupting.set(false);
        interrupter.join();

        assertThat(failures).isEmpty();
        for (String name : names) {
            assertThat(Files.exists(runDir.resolve(name), LinkOption.NOFOLLOW_LINKS)).as(name).isFalse();
        }
        assertThat(Mounts.at(runDir)).hasSize(mountsBefore);
        assertThat(allMountsUnder(runDir)).as("no name's mount left").isEqualTo(namesMountedBefore);
        assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
    }

    @Test
    void aCallerWithAPendingInterruptCreatesAndDeletesAndKeepsItsInterrupt() throws Exception {
        List<String> fdsBefore = Fds.targets();
        List<String> outcome = new ArrayList<>();
        String unprepared = newName();
        String shared = newName();
        Thread caller = new Thread(() -> {
            for (String name : List.of(unprepared, shared)) { // the first prepares the run dir, the second skips it
                Thread.currentThread().interrupt();
                try {
                    Netns.newNamed(name).close();
                    outcome.add(name + " created, interrupted=" + Thread.interrupted());
                    Thread.currentThread().interrupt();
                    Netns.deleteNamed(name);
                    outcome.add(name + " deleted, interrupted=" + Thread.interrupted());
                } catch (Throwable e) {
                    outcome.add(name + " failed: " + e);
                }
            }
        }, "nt-psa-interrupted");
        caller.start();
        caller.join(60_000);
        assertThat(caller.isAlive()).as("caller still running after 60 s").isFalse();

        assertThat(outcome).containsExactly(unprepared + " created, interrupted=true", unprepared + " deleted, interrupted=true",
                shared + " created, interrupted=true", shared + " deleted, interrupted=true");
        assertThat(allMountsUnder(runDir)).isEmpty();
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
    }

    @Test
    void racingCreatesOfTheSameNamesMakeEachOnceAndDiscardTheNamespacesTheLosersAskedFor() throws Exception {
        Netns.newNamed(newName()).close(); // prepares the run dir: the creates below take the early path
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            names.add(newName());
        }
        List<String> fdsBefore = Fds.targets();
        ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
        List<Thread> racers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            Thread racer = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    for (String name : names) {
                        try {
                            Netns.newNamed(name).close();
                            created.add(name);
                        } catch (NamespaceExistsException e) {
                            // lost the race: expected for all but one racer per name
                        }
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "nt-psa-racer-" + r);
            racer.start();
            racers.add(racer);
        }
        for (Thread racer : racers) {
            racer.join(60_000);
        }
        assertThat(racers).noneMatch(Thread::isAlive);
        assertThat(unexpected).isEmpty();
        assertThat(created).as("each name made exactly once").containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            assertThat(Mounts.at(runDir.resolve(name))).as("one mount on %s", name).hasSize(1);
        }
        assertThat(Netns.threads()).as("no thread left in a namespace a loser asked for")
                .filteredOn(thread -> !thread.pinnedWorker()).allSatisfy(thread -> assertThat(thread.host()).isTrue());
        assertThat(Fds.addedSince(fdsBefore)).as("the losers' namespaces were closed").isEmpty();
    }

    @Test
    void aForeignFileBoundOverANamesMountIsRefusedAndBothMountsStay() throws Exception {
        String name = newName();
        Netns.newNamed(name).close();
        Path entry = runDir.resolve(name);
        Path outside = Files.createFile(dir.resolve("outside"));
        Commands.check("mount", "--bind", outside.toString(), entry.toString());
        assertThat(Mounts.at(entry)).hasSize(2);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Netns.deleteNamed(name))
                .isInstanceOf(NotANamespaceException.class);
        assertThat(Mounts.at(entry)).as("neither mount is detached").hasSize(2);
        assertThat(Files.exists(entry, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aRunDirOnAnOverlayOfTwoFilesystemsCreatesAndDeletesCleanly() throws Exception {
        Path lower = Files.createDirectory(dir.resolve("lower"));
        Commands.check("mount", "-t", "tmpfs", "nt-psa-lower", lower.toString());
        Path upperFs = Files.createDirectory(dir.resolve("upperfs"));
        Commands.check("mount", "-t", "tmpfs", "nt-psa-upper", upperFs.toString());
        Files.createDirectories(upperFs.resolve("upper"));
        Files.createDirectories(upperFs.resolve("work"));
        Path merged = Files.createDirectory(dir.resolve("merged"));
        Files.createDirectory(lower.resolve("netns")); // the run dir merged from both layers
        for (int i = 0; i < 50; i++) {
            Files.createFile(lower.resolve("netns").resolve(prefix + "lower-" + i));
        }
        Commands.check("mount", "-t", "overlay", "nt-psa-overlay", "-o", "lowerdir=" + lower + ",upperdir="
                + upperFs.resolve("upper") + ",workdir=" + upperFs.resolve("work") + ",xino=off", merged.toString());
        runDir = merged.resolve("netns");
        Netns.setRunDirectory(runDir);
        List<String> fdsBefore = Fds.targets();

        List<String> names = List.of(newName(), newName(), newName());
        for (String name : names) {
            Netns.newNamed(name).close();
            assertThat(Mounts.at(runDir.resolve(name))).hasSize(1);
        }
        for (String name : names) {
            Netns.deleteNamed(name);
            assertThat(Mounts.at(runDir.resolve(name))).as(name).isEmpty();
            assertThat(Files.exists(runDir.resolve(name), LinkOption.NOFOLLOW_LINKS)).as(name).isFalse();
        }
        assertThat(Netns.listNamed()).as("only the lower layer's files are left").hasSize(50);
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
    }

    private String newName() {
        return prefix + (counter++);
    }

    private void fill(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Files.createFile(runDir.resolve(prefix + "filler-" + "f".repeat(60) + counter++));
        }
    }

    /** Starts a process in a new mount namespace whose mounts stay peers of this one's; returns its pid. */
    private long otherMountNamespace() throws Exception {
        Process process = new ProcessBuilder("unshare", "-m", "--propagation", "unchanged", "sh", "-c",
                "echo ready; exec sleep 300").redirectErrorStream(true).start();
        processes.add(process);
        byte[] line = new byte[6];
        assertThat(process.getInputStream().readNBytes(line, 0, 6)).isEqualTo(6);
        assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo("ready\n");
        return process.pid();
    }

    private static List<String> mountsIn(long pid, Path mountPoint) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
                .filter(line -> line.split(" ")[4].equals(mountPoint.toString())).toList();
    }

    private static List<String> allMountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.split(" ")[4].startsWith(dir + "/")).toList();
    }
}
