package dev.netns.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a new world-readable folder of its own, and afterwards, pass or fail, detaches
 * whatever is still mounted under it and removes it. Runs before the test class's
 * {@code @BeforeEach} and after its {@code @AfterEach}. Use as a {@code @RegisterExtension} field.
 */
public final class OwnTempDir implements BeforeEachCallback, AfterEachCallback {

    private final String prefix;
    private Path dir;

    /** @param prefix the folder's name prefix, starting with {@code nt-} */
    public OwnTempDir(String prefix) {
        this.prefix = prefix;
    }

    /** The test's folder. */
    public Path dir() {
        return dir;
    }

    /** A run dir for the test: {@code netns} in {@link #dir()}, not made yet. */
    public Path runDir() {
        return dir.resolve("netns");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = ChildJvm.worldReadableTempDir(prefix);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Mounts.unmountAllUnder(dir);
        ChildJvm.deleteRecursively(dir);
    }
}
