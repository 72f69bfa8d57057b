package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class ProcFsTest {

    @Test
    void startTimeNamesOneProcessAndIsMinusOneOnceItIsGone(@TempDir Path dir) throws Exception {
        long own = ProcFs.startTime((int) ProcessHandle.current().pid());
        assertThat(own).isPositive();

        // A comm (the executable's file name) with spaces and parentheses must not shift the fields.
        Path oddName = Files.createSymbolicLink(dir.resolve("a) b (c"), Path.of("/bin/sleep"));
        Process child = new ProcessBuilder(oddName.toString(), "30").start();
        try {
            int pid = (int) child.pid();
            assertThat(Files.readString(Path.of("/proc/" + pid + "/comm")).strip()).isEqualTo("a) b (c");
            long started = ProcFs.startTime(pid);
            assertThat(started).isGreaterThanOrEqualTo(own);
            assertThat(ProcFs.startTime(pid)).isEqualTo(started);
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            Files.delete(oddName);
        }
        assertThat(ProcFs.startTime((int) child.pid())).isEqualTo(-1);
    }
}
