package dev.netns;

import dev.netns.testsupport.ProbeLines;
import java.nio.file.Path;

/**
 * Run by {@link UnprivilegedUserTest} as an unprivileged user: tries the operations that need
 * CAP_SYS_ADMIN and prints what each did.
 *
 * <p>Arguments: an existing named namespace, a free name, and a run dir that does not exist and
 * that this user cannot create.
 */
public final class UnprivilegedProbe {

    private UnprivilegedProbe() {
    }

    public static void main(String[] args) {
        String existing = args[0];
        String free = args[1];
        Path missingRunDir = Path.of(args[2]);
        ProbeLines.print("set", () -> {
            try (NsHandle current = Netns.get()) {
                Netns.set(current);
                return current;
            }
        });
        ProbeLines.print("newNamespace", () -> {
            try (NsHandle created = Netns.newNamespace()) {
                return created;
            }
        });
        ProbeLines.print("newNamed", () -> {
            try (NsHandle created = Netns.newNamed(free)) {
                return created;
            }
        });
        ProbeLines.print("deleteNamed", () -> {
            Netns.deleteNamed(existing);
            return existing;
        });
        ProbeLines.print("newNamedInMissingRunDir", () -> {
            Netns.setRunDirectory(missingRunDir);
            try (NsHandle created = Netns.newNamed(free)) {
                return created;
            }
        });
    }
}
