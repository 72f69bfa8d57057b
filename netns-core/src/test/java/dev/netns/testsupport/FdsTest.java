package dev.netns.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fd leak check leaves out only the copy of a run dir's mount that a runtime holds (the root
 * of a detached mount): a file left open on a mount detached since is still a leak.
 */
@RequiresPrivileges
class FdsTest {

    @Test
    void aFileOpenOnAMountDetachedSinceIsStillALeakAndNotCountedAsAHeldCopy() throws Exception {
        Path dir = ChildJvm.worldReadableTempDir("nt-fds-");
        try {
            Commands.check("mount", "-t", "tmpfs", "nt-fds", dir.toString());
            Path file = Files.createFile(dir.resolve("left-open"));
            long copiesBefore = Fds.detachedMounts();
            List<String> before = Fds.targets();
            try (FileChannel leaked = FileChannel.open(file)) {
                Commands.check("umount", "-l", dir.toString());
                assertThat(Fds.addedSince(before)).as("the file on the detached tmpfs")
                        .containsExactly(Fds.DETACHED_MOUNT + "/left-open");
                assertThat(Fds.detachedMounts()).as("no held copy").isEqualTo(copiesBefore);
            }
            assertThat(Fds.addedSince(before)).isEmpty();
        } finally {
            Mounts.unmountAllUnder(dir);
            ChildJvm.deleteRecursively(dir);
        }
    }
}
