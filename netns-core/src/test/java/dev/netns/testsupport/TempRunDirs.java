package dev.netns.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Run dirs of a test's own ({@code /tmp/nt-rundir-...}), and their removal after it, pass or fail:
 * whatever is mounted there (the run dir's own shared bind mount, the names under it) is detached,
 * then the directory is deleted. Use as a {@code @RegisterExtension} field.
 */
public final class TempRunDirs implements AfterEachCallback {

    private final List<Path> dirs = new ArrayList<>();

    /** A new empty directory, unique to this test. */
    public synchronized Path create() {
        try {
            Path dir = Files.createTempDirectory("nt-rundir-");
            dirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Path> toRemove;
        synchronized (this) {
            toRemove = new ArrayList<>(dirs);
            dirs.clear();
        }
        for (Path dir : toRemove) {
            for (int i = 0; i < 5 && mounted(dir); i++) {
                Commands.run(List.of("umount", "-R", "-l", dir.toString()));
            }
            ChildJvm.deleteRecursively(dir);
        }
    }

    /** Whether anything is mounted on or under the directory. */
    public static boolean mounted(Path dir) {
        try {
            String mounts = Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
            return mounts.contains(" " + dir + " ") || mounts.contains(" " + dir + "/");
        } catch (IOException e) {
            return false;
        }
    }
}
