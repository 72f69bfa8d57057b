package dev.netns.internal;

import static dev.netns.internal.RunDirFiles.name;
import static dev.netns.internal.RunDirFiles.statNoFollow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.OwnTempDir;
import dev.netns.testsupport.RequiresPrivileges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run dir's listing gives the file under a name's mount, never the mounted namespace, however
 * far into the listing the name is (delete, where no copy of the run dir's mount can be had, takes
 * a name the listing says nothing of as it looks); and nothing for a name that is not there. On
 * tmpfs and on the disk's filesystem.
 */
@RequiresPrivileges
class DirectoryEntriesTest {

    private static final int STEP = 8 * 1024; // DirectoryEntries.STEP

    @RegisterExtension
    final OwnTempDir folder = new OwnTempDir("nt-dirents-");

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theListingShowsTheFileUnderAMountHoweverFarItIsListed(boolean tmpfs) throws Exception {
        Path dir = folder.dir();
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
            FileStat underRegular = DirectoryEntries.fileUnder(runDir.fd(), Syscalls.stat(runDir.fd(), "dir", null), name("regular"), new int[1]);
            assertThat(underRegular).isNotNull();
            assertThat(underRegular.isRegularFile()).isTrue();
            assertThat(underRegular.id()).as("the file's, not the namespace's").isEqualTo(regularBefore.id());
            try (RunDirUnderside underside = new RunDirUnderside()) {
                FileStat underFifo = runDir.underneath(name("fifo"), underside, "shown", null);
                assertThat(underFifo.typeName()).isEqualTo("a FIFO");
                assertThat(underFifo.id()).isEqualTo(fifoBefore.id());
            }
            assertThat(DirectoryEntries.fileUnder(runDir.fd(), Syscalls.stat(runDir.fd(), "dir", null), name("missing"), new int[1]))
                    .isNull();
        }

        for (int i = 0; i < 1500; i++) {
            Files.createFile(dir.resolve("filler-" + "x".repeat(40) + i));
        }
        try (RunDirectory runDir = RunDirectory.open(dir, errno)) {
            FileStat dirStat = Syscalls.stat(runDir.fd(), "dir", null);
            int before = listedAhead(runDir.fd(), "regular");
            FileStat listed = DirectoryEntries.fileUnder(runDir.fd(), dirStat, name("regular"), new int[1]);
            assertThat(listed).as("%d bytes of listing ahead of the name", before).isNotNull()
                    .extracting(FileStat::id).isEqualTo(regularBefore.id());
            assertThat(DirectoryEntries.fileUnder(runDir.fd(), dirStat, name("missing"), new int[1]))
                    .as("read to the end: not there").isNull();
            try (RunDirUnderside underside = new RunDirUnderside()) {
                FileStat under = runDir.underneath(name("regular"), underside, "shown", null);
                assertThat(under.isRegularFile()).as("seen in the held copy either way").isTrue();
                assertThat(under.id()).isEqualTo(regularBefore.id());
                assertThat(underside.holdsCopy()).isTrue();
            }
        }
    }

    /**
     * ext4 lists a directory in hash order, in which {@code .} comes anywhere, not first: every
     * name must be told whether the listing shows it before or after {@code .} (before this was
     * fixed, a name listed ahead of {@code .} got no answer, and delete, left without one when
     * its copy of the run dir's mount was just released, detached a namespace mounted on a FIFO).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyNameIsToldWhereverTheDotEntryIsListed(boolean tmpfs) throws Exception {
        Path dir = folder.dir();
        if (tmpfs) {
            Commands.check("mount", "-t", "tmpfs", "nt-dirents", dir.toString());
        }
        for (int i = 0; i < 40; i++) {
            Commands.check("mkfifo", dir.resolve("fifo-" + i).toString());
        }
        int[] errno = new int[1];
        try (RunDirectory runDir = RunDirectory.open(dir, errno)) {
            FileStat dirStat = Syscalls.stat(runDir.fd(), "dir", null);
            int aheadOfDot = 0;
            for (byte[] entry : rawListing(runDir.fd())) {
                String name = new String(entry, StandardCharsets.UTF_8);
                if (name.equals(".")) {
                    break;
                }
                aheadOfDot += name.equals("..") ? 0 : 1;
            }
            for (int i = 0; i < 40; i++) {
                Path fifo = dir.resolve("fifo-" + i);
                FileStat listed = DirectoryEntries.fileUnder(runDir.fd(), dirStat, name("fifo-" + i), new int[1]);
                assertThat(listed).as("fifo-" + i + " (" + aheadOfDot + " names listed ahead of '.')").isNotNull();
                assertThat(listed.typeName()).isEqualTo("a FIFO");
                assertThat(listed.id()).isEqualTo(statNoFollow(fifo).id());
            }
        }
    }

    /** A directory's names in the order {@code getdents64} gives them, {@code .} and {@code ..} included. */
    private static List<byte[]> rawListing(int dirFd) {
        List<byte[]> names = new java.util.ArrayList<>();
        int fd = Syscalls.openForEntries(dirFd);
        try {
            byte[] block = new byte[STEP];
            for (int length; (length = Syscalls.readEntries(fd, block)) > 0; ) {
                java.nio.ByteBuffer entries = java.nio.ByteBuffer.wrap(block, 0, length).order(java.nio.ByteOrder.nativeOrder());
                for (int at = 0; at < length; at += entries.getShort(at + 16) & 0xffff) {
                    int end = at + 19;
                    while (block[end] != 0) {
                        end++;
                    }
                    names.add(java.util.Arrays.copyOfRange(block, at + 19, end));
                }
            }
        } finally {
            Syscalls.closeQuietly(fd);
        }
        return names;
    }

    /** How many bytes of {@code getdents64} records come before a name's (each 19 bytes, the name and its NUL, aligned to 8). */
    private static int listedAhead(int dirFd, String name) {
        int ahead = 0;
        for (byte[] entry : rawListing(dirFd)) {
            if (new String(entry, StandardCharsets.UTF_8).equals(name)) {
                return ahead;
            }
            ahead += (19 + entry.length + 1 + 7) & ~7;
        }
        return -1;
    }
}
