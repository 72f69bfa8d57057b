package dev.netns.internal;

import static dev.netns.internal.RunDirFiles.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.netns.NetnsException;
import dev.netns.NotANamespaceException;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.FileLimit;
import dev.netns.testsupport.Mounts;
import dev.netns.testsupport.OwnTempDir;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delete when no copy of the run dir's mount can be had: the copy is what tells it the file under
 * a name's mount, and a namespace mounted on a FIFO must be refused all the same. Out of fds (a
 * runtime's first delete, or one that raced the runtime's close) the copy and the listing both
 * fail for want of an fd, which tells nothing of the name: delete must fail, not take the name as
 * it looks. A run dir that cannot be copied at all (an unbindable mount) leaves only the listing,
 * which must then be read as far as the name is, however far that is.
 */
@RequiresPrivileges
class DeleteUncopiedRunDirTest {

    private final String prefix = "nt-uncopied-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000 + "-";
    @RegisterExtension
    final OwnTempDir folder = new OwnTempDir("nt-uncopied-");

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void outOfFdsForTheCopyADeleteFailsAndLeavesANamespaceOnAFifoMounted(boolean closedFirst) throws Exception {
        Path runDir = folder.runDir();
        String fifoName = prefix + "fifo";
        Path fifo = runDir.resolve(fifoName);
        NamedNamespaces warm = new NamedNamespaces(runDir);
        Syscalls.closeQuietly(warm.create(prefix + "real")); // makes the run dir a shared mount point
        Commands.check("mkfifo", fifo.toString());
        Commands.check("mount", "--bind", "/proc/self/ns/net", fifo.toString());
        // Every path the delete below may take, once, so that no class is loaded while fds are out.
        assertThatThrownBy(() -> warm.delete(fifoName)).isInstanceOf(NotANamespaceException.class);
        Commands.check("mkfifo", runDir.resolve(prefix + "bare").toString());
        assertThatThrownBy(() -> warm.delete(prefix + "bare")).isInstanceOf(NotANamespaceException.class);
        warm.delete(prefix + "real");
        warm.close();
        assertThatThrownBy(() -> warm.delete(fifoName)).isInstanceOf(NotANamespaceException.class);
        assertThat(Errno.failure("open_tree", "warm-up", Errno.EMFILE, "warm-up").errnoName()).isEqualTo("EMFILE");
        try (RunDirectory open = RunDirectory.open(runDir, new int[1])) { // the listing, which the copy spared so far
            assertThat(DirectoryEntries.fileUnder(open.fd(), open.stat(), name(fifoName), new int[1])).isNotNull();
        }
        assertThat(Mounts.at(fifo)).hasSize(1);

        NamedNamespaces runtime = new NamedNamespaces(runDir);
        if (closedFirst) {
            runtime.close(); // a delete that raced its runtime's close: it makes a copy of its own
        }
        List<String> fdsBefore = Fds.targets();
        long softBefore = FileLimit.soft();
        List<Integer> fillers = new ArrayList<>(4096);
        Throwable outcome;
        try {
            FileLimit.setSoft(FileLimit.highestFd() + 32);
            FileLimit.fillFdTable(fillers);
            // Two fds free: the run dir's and the entry's; none for the copy, none for the listing.
            Syscalls.closeQuietly(fillers.remove(fillers.size() - 1));
            Syscalls.closeQuietly(fillers.remove(fillers.size() - 1));
            outcome = catchThrowable(() -> runtime.delete(fifoName));
        } finally {
            fillers.forEach(Syscalls::closeQuietly);
            FileLimit.setSoft(softBefore);
        }

        assertThat(Mounts.at(fifo)).as("the namespace on the FIFO stays mounted (delete said: %s)", outcome).hasSize(1);
        assertThat(outcome).isInstanceOfSatisfying(NetnsException.class, e -> {
            assertThat(e.errnoName()).isEqualTo("EMFILE");
            assertThat(e.getMessage()).contains(fifoName);
        });
        assertThatThrownBy(() -> runtime.delete(fifoName)).as("with fds free again")
                .isInstanceOf(NotANamespaceException.class);
        assertThat(Mounts.at(fifo)).hasSize(1);
        runtime.close();
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
    }

    @Test
    void aRunDirThatCannotBeCopiedIsReadAsFarAsTheNameIs() throws Exception {
        Path runDir = folder.runDir();
        Files.createDirectories(runDir);
        Commands.check("mount", "-t", "tmpfs", "nt-uncopied", runDir.toString());
        NamedNamespaces runtime = new NamedNamespaces(runDir);
        try {
            Syscalls.closeQuietly(runtime.create(prefix + "first")); // makes the run dir a shared mount point
            fill(runDir, 0);
            String real = prefix + "real";
            Syscalls.closeQuietly(runtime.create(real));
            String fifoName = prefix + "fifo";
            Path fifo = runDir.resolve(fifoName);
            Commands.check("mkfifo", fifo.toString());
            Commands.check("mount", "--bind", "/proc/self/ns/net", fifo.toString());
            fill(runDir, 1); // before and after: whichever order the listing is in, both names are past 64 KiB
            Commands.check("mount", "--make-unbindable", runDir.toString());
            try (RunDirectory open = RunDirectory.open(runDir, new int[1]); RunDirUnderside underside = new RunDirUnderside()) {
                assertThat(underside.fileUnder(open.stat().id(), open.fd(), name(fifoName), new int[1])).as("no copy of an unbindable mount")
                        .isNull();
                assertThat(underside.holdsCopy()).isFalse();
            }
            List<String> fdsBefore = Fds.targets();

            assertThatThrownBy(() -> runtime.delete(fifoName)).isInstanceOf(NotANamespaceException.class);
            assertThat(Mounts.at(fifo)).as("the namespace on the FIFO stays mounted").hasSize(1);
            assertThat(runtime.delete(real)).hasSize(1);
            assertThat(Files.exists(runDir.resolve(real), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Mounts.at(runDir.resolve(real))).isEmpty();
            assertThat(Fds.addedSince(fdsBefore)).isEmpty();
        } finally {
            runtime.close();
        }
    }

    /** 1,000 names of about 60 bytes: over 64 KiB of listing (each record takes 80 bytes). */
    private void fill(Path in, int side) throws IOException {
        for (int i = 0; i < 1000; i++) {
            Files.createFile(in.resolve(prefix + "filler-" + side + "-" + i + "-" + "x".repeat(20)));
        }
    }
}
