package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** What the tests of the run dir's internals look at: a file's {@code statx} without following a link, a name's bytes. */
final class RunDirFiles {

    private RunDirFiles() {
    }

    /** {@code statx} of a path, not following a link at its end; fails the test when there is nothing. */
    static FileStat statNoFollow(Path path) {
        int[] errno = new int[1];
        FileStat stat = Syscalls.statAtNoFollow(-100 /* AT_FDCWD */, RunDirectory.nativeBytes(path.toString()), errno);
        assertThat(stat).as("statx %s: errno %d", path, errno[0]).isNotNull();
        return stat;
    }

    /** A name as the run dir's syscalls take it: its bytes, NUL-terminated. */
    static byte[] name(String name) {
        return RunDirectory.nativeBytes(name);
    }
}
