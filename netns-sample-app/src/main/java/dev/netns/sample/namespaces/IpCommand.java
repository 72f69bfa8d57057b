package dev.netns.sample.namespaces;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs iproute2's {@code ip} for link set-up, which netns itself does not do (it reads
 * interfaces, it does not configure them). Always called from a thread of the host namespace and
 * told the target with {@code ip -n NAME}: a process started from a pinned worker would be born
 * inside the namespace, and so would the JDK's process reaper thread it may start, which would
 * then linger there as a stray thread.
 */
public class IpCommand {

    private static final Logger log = LoggerFactory.getLogger(IpCommand.class);
    private static final long TIMEOUT_SECONDS = 20;

    private volatile @Nullable Path binary;

    /** Runs {@code ip ARGS...}; returns its standard output. */
    public String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        log.debug("running {}", command);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IpCommandException("'ip " + String.join(" ", args) + "' did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IpCommandException("'ip " + String.join(" ", args) + "' failed (exit " + process.exitValue() + "): "
                        + output);
            }
            return output;
        } catch (IOException e) {
            throw new IpCommandException("cannot run 'ip " + String.join(" ", args) + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpCommandException("interrupted while running 'ip " + String.join(" ", args) + "'");
        }
    }

    /** Runs {@code ip ARGS...} and ignores a failure (clean-up of what may already be gone). */
    public void runQuietly(String... args) {
        try {
            run(args);
        } catch (RuntimeException e) {
            log.debug("ignored: {}", e.getMessage());
        }
    }

    private Path binary() {
        Path found = binary;
        if (found == null) {
            found = find(System.getenv("PATH"));
            binary = found;
        }
        return found;
    }

    static Path find(@Nullable String path) {
        Set<String> dirs = new LinkedHashSet<>();
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "ip");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new MissingToolException("The 'ip' command (iproute2) is needed to bring interfaces up and set up veth"
                + " pairs, and it is not on this machine: install it (apt-get install iproute2)");
    }
}
