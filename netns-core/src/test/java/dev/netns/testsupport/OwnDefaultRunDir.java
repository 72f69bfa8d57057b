package dev.netns.testsupport;

import dev.netns.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a run dir of its own as the default runtime's ({@code DIR/netns} in a new
 * world-readable folder), and afterwards, pass or fail, deletes the names left in it, puts the
 * previous run dir back, detaches whatever is still mounted under the folder and removes it. Runs
 * before the test class's {@code @BeforeEach} and after its {@code @AfterEach}, which can first stop
 * what still uses the names. Use as a {@code @RegisterExtension} field.
 */
public final class OwnDefaultRunDir implements BeforeEachCallback, AfterEachCallback {

    private final OwnTempDir folder;
    private Path previous;

    /** @param prefix the folder's name prefix, starting with {@code nt-} */
    public OwnDefaultRunDir(String prefix) {
        this.folder = new OwnTempDir(prefix);
    }

    /** The test's folder. */
    public Path dir() {
        return folder.dir();
    }

    /** The run dir the default runtime uses during the test: {@code netns} in {@link #dir()}, not made yet. */
    public Path runDir() {
        return folder.runDir();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        folder.beforeEach(context);
        previous = Netns.runDirectory();
        Netns.setRunDirectory(runDir());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            deleteNamesLeft();
        } finally {
            try {
                Netns.setRunDirectory(previous);
            } finally {
                folder.afterEach(context);
            }
        }
    }

    /** The names left in the default run dir, if it is still one under the folder (a test may move it there). */
    private void deleteNamesLeft() {
        Path current = Netns.runDirectory();
        if (!current.startsWith(dir()) || !Files.isDirectory(current)) {
            return; // never another run dir's names
        }
        for (String name : Netns.listNamed()) {
            try {
                Netns.deleteNamed(name);
            } catch (RuntimeException e) {
                // a stale file of a test that unmounted the run dir: removed with the folder
            }
        }
    }
}
