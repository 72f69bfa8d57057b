package dev.netns.internal;

import static dev.netns.internal.RunDirFiles.name;
import static dev.netns.internal.RunDirFiles.statNoFollow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Mounts;
import dev.netns.testsupport.RequiresPrivileges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run dir's listing gives the file under a name's mount, never the mounted namespace; and it
 * says nothing (so that delete looks in a copy of the mount instead) for a name that is not in
 * its first block or not there at all. On tmpfs and on the disk's filesystem.
 */
@RequiresPrivileges
class DirectoryEntriesTest {

    private static final int STEP = 8 * 1024; // DirectoryEntries.STEP
    private static final int BLOCK = 64 * 1024; // DirectoryEntries.MAX_READ

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theListingShowsTheFileUnderAMountAndNothingPastItsFirstBlock(boolean tmpfs) throws Exception {
        Path dir = ChildJvm.worldReadableTempDir("nt-dirents-");
        try {
            if (tmpfs) {
                Commands.check("mount", "-t", "tmpfs", "nt-dirents", dir.toString());
            }
            Path regular = Files.createFile(dir.resolve("regular"));
            Path fifo = dir.resolve("fifo");
            Commands.check("mkfifo", fifo.toString());
            FileStat regularBefore = statNoFollow(regular);
            FileStat fifoBefore = statNoFollow(fifo);
            for (Path entry : List.of(regular, fifo)) {
                Commands.check("mount", "--bind", "/proc/self/ns/net", entry.toString());
            }
            assertThat(statNoFollow(regular).mountRoot()).as("the namespace is mounted there").isTrue();

            int[] errno = new int[1];
            try (RunDirectory runDir = RunDirectory.open(dir, errno)) {
                FileStat underRegular = DirectoryEntries.fileUnder(runDir.fd(), Syscalls.stat(runDir.fd(), "dir", null), name("regular"));
                assertThat(underRegular).isNotNull();
                assertThat(underRegular.isRegularFile()).isTrue();
                assertThat(underRegular.id()).as("the file's, not the namespace's").isEqualTo(regularBefore.id());
                try (RunDirUnderside underside = new RunDirUnderside()) {
                    FileStat underFifo = runDir.underneath(name("fifo"), underside);
                    assertThat(underFifo.typeName()).isEqualTo("a FIFO");
                    assertThat(underFifo.id()).isEqualTo(fifoBefore.id());
                }
                assertThat(DirectoryEntries.fileUnder(runDir.fd(), Syscalls.stat(runDir.fd(), "dir", null), name("missing")))
                        .isNull();
            }

            for (int i = 0; i < 1500; i++) {
                Files.createFile(dir.resolve("filler-" + "x".repeat(40) + i));
            }
            try (RunDirectory runDir = RunDirectory.open(dir, errno)) {
                FileStat dirStat = Syscalls.stat(runDir.fd(), "dir", null);
                boolean inFirstBlock = inFirstBlock(dir, "regular");
                FileStat listed = DirectoryEntries.fileUnder(runDir.fd(), dirStat, name("regular"));
                if (inFirstBlock) {
                    assertThat(listed).isNotNull().extracting(FileStat::id).isEqualTo(regularBefore.id());
                } else {
                    assertThat(listed).as("past the first block: the listing does not say").isNull();
                }
                try (RunDirUnderside underside = new RunDirUnderside()) {
                    FileStat under = runDir.underneath(name("regular"), underside);
                    assertThat(under.isRegularFile()).as("seen in the held copy either way").isTrue();
                    assertThat(under.id()).isEqualTo(regularBefore.id());
                    assertThat(underside.holdsCopy()).isTrue();
                }
            }
        } finally {
            Mounts.unmountAllUnder(dir);
            ChildJvm.deleteRecursively(dir);
        }
    }

    /**
     * Whether the listing reaches a name: getdents64 fills each 8 KiB read with whole records (19
     * bytes, the name and its NUL, aligned to 8), and reads go on while less than 64 KiB was read.
     */
    private static boolean inFirstBlock(Path dir, String name) {
        int read = 0;
        int chunk = 0;
        for (byte[] entry : listingWithDots(dir)) {
            int record = (19 + entry.length + 1 + 7) & ~7;
            if (chunk + record > STEP) { // this read is full: the next one starts, if any
                read += chunk;
                chunk = 0;
                if (read >= BLOCK) {
                    return false;
                }
            }
            chunk += record;
            if (new String(entry, StandardCharsets.UTF_8).equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[]> listingWithDots(Path dir) {
        List<byte[]> names = new java.util.ArrayList<>(List.of(new byte[] {'.'}, new byte[] {'.', '.'}));
        names.addAll(Syscalls.readDirectory(dir.toString(), null));
        return names;
    }
}
