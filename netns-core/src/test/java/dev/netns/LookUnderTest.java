package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Mounts;
import dev.netns.testsupport.RequiresPrivileges;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delete sees the file under a name's mount in a copy of the run dir's mount or, where none can be
 * had, in the run dir's listing (DeleteUncopiedRunDirTest). It must refuse a namespace mounted on a
 * FIFO or device and still delete one mounted on a regular file: tried in run dirs on tmpfs (as
 * {@code /run} usually is) and on the disk's filesystem, small and with more names than 64 KiB of
 * listing holds.
 */
@RequiresPrivileges
class LookUnderTest {

    /** Enough long names to fill the listing's first block (64 KiB) more than once. */
    private static final int MANY = 1500;

    @ParameterizedTest
    @ValueSource(strings = {"tmpfs-small", "tmpfs-many", "disk-small", "disk-many"})
    void aNamespaceOnAFifoOrDeviceIsRefusedAndOneOnARegularFileIsDeleted(String setup) throws Exception {
        Path dir = ChildJvm.worldReadableTempDir("nt-look-under-");
        Path runDir = dir.resolve("netns");
        Files.createDirectory(runDir);
        Path previous = Netns.runDirectory();
        try {
            if (setup.startsWith("tmpfs")) {
                Commands.check("mount", "-t", "tmpfs", "nt-look-under", runDir.toString());
            }
            Netns.setRunDirectory(runDir);
            Netns.newNamed("nt-regular").close(); // first: the run dir is made a shared mount point
            Path fifo = runDir.resolve("nt-fifo");
            Path device = runDir.resolve("nt-device");
            Commands.check("mkfifo", fifo.toString());
            Commands.check("mknod", device.toString(), "c", "1", "3"); // /dev/null's numbers
            for (Path entry : List.of(fifo, device)) {
                Commands.check("mount", "--bind", "/proc/self/ns/net", entry.toString());
            }
            if (setup.endsWith("many")) {
                // Made after the names: tmpfs lists the newest first, so the names are past the first block.
                for (int i = 0; i < MANY; i++) {
                    Files.createFile(runDir.resolve("nt-filler-" + "x".repeat(40) + i));
                }
            }

            for (Path entry : List.of(fifo, device)) {
                assertThatThrownBy(() -> Netns.deleteNamed(entry.getFileName().toString()))
                        .as(entry.toString()).isInstanceOf(NotANamespaceException.class);
                assertThat(mountsOn(entry)).as("the mount on %s is left in place", entry).hasSize(1);
            }
            Netns.deleteNamed("nt-regular");
            assertThat(Files.exists(runDir.resolve("nt-regular"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(mountsOn(runDir.resolve("nt-regular"))).isEmpty();
        } finally {
            Netns.setRunDirectory(previous);
            Mounts.unmountAllUnder(dir);
            ChildJvm.deleteRecursively(dir);
        }
    }

    private static List<String> mountsOn(Path mountPoint) {
        return Mounts.at(mountPoint);
    }
}
