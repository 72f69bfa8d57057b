package dev.netns.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Unique {@code nt-} namespace names for a test, and their removal after it, pass or fail. Use as
 * a {@code @RegisterExtension} field.
 */
public final class TestNamespaces implements AfterEachCallback {

    private final List<String> names = new ArrayList<>();

    /** A fresh unique name ({@code nt-} and 10 hex digits), removed after the test if it exists then. */
    public synchronized String newName() {
        String name = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        names.add(name);
        return name;
    }

    /** A namespace made by {@code ip netns add}, removed after the test. */
    public String ipNetnsAdd() {
        String name = newName();
        Commands.check("ip", "netns", "add", name);
        return name;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> toDelete;
        synchronized (this) {
            toDelete = new ArrayList<>(names);
            names.clear();
        }
        for (String name : toDelete) {
            for (Path dir : List.of(Path.of("/run/netns"), Path.of("/var/run/netns"))) {
                if (Files.exists(dir.resolve(name))) {
                    Commands.run(List.of("ip", "netns", "delete", name));
                    Commands.run(List.of("rm", "-f", dir.resolve(name).toString()));
                }
            }
        }
    }
}
