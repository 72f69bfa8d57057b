package dev.netns.testsupport;

import com.github.dockerjava.api.DockerClient;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Docker daemon of the test's own: its own socket, data root, exec root and pid file, no bridge
 * and no iptables, in a network namespace of its own, so that a test can stop and start it at will
 * without touching the shared engine. Started and stopped by its own PID only; {@link #close()}
 * stops it and removes its files.
 */
public final class PrivateDockerd implements AutoCloseable {

    private final Path dir;
    private final Path socket;
    private final Path log;
    private Process process;
    private DockerClient client;

    /** Prepares a daemon under a fresh folder in /tmp (short paths: unix socket paths are limited to 108 bytes). */
    public PrivateDockerd() throws IOException {
        this.dir = Files.createTempDirectory(Path.of("/tmp"), "nt-dockerd-");
        this.socket = dir.resolve("docker.sock");
        this.log = dir.resolve("dockerd.log");
    }

    /** {@code unix:///tmp/nt-dockerd-.../docker.sock}. */
    public String host() {
        return "unix://" + socket;
    }

    /**
     * A client for the daemon as it runs now; a new one after each start, since pooled
     * connections do not survive a restart.
     */
    public synchronized DockerClient client() {
        if (client == null) {
            throw new IllegalStateException("the private dockerd is not running");
        }
        return client;
    }

    /** The daemon's PID, or -1 when it does not run. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** Starts the daemon and waits until it answers (at most 30 s). */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running as " + process.pid());
        }
        Files.deleteIfExists(socket);
        // In a network namespace of its own: a dockerd with --bridge=none deletes any docker0 it
        // sees at start, and the shared engine's docker0 is in the host namespace.
        process = new ProcessBuilder(List.of("unshare", "--net", "--", "dockerd",
                "--host", host(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--bridge=none", "--iptables=false", "--ip-masq=false"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the private dockerd exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (Files.exists(socket) && answers()) {
                client = DockerContainers.newClient(host());
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the private dockerd did not answer within 30 s:\n" + logTail());
    }

    private boolean answers() {
        try (DockerClient client = DockerContainers.newClient(host())) {
            client.pingCmd().exec();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Kills the daemon by its PID with SIGKILL, as a crash would, and waits for it to be gone: no
     * shutdown, so the running containers live on under their shims, and the next {@link #start()}
     * finds them. The containerd it started gets SIGKILL from the kernel as it dies (dockerd asks
     * for that); this waits for that too, since a restart that still sees it running would wait
     * for it to answer.
     */
    public synchronized void kill() throws InterruptedException {
        closeClient();
        if (process == null) {
            return;
        }
        Optional<ProcessHandle> containerd = containerd();
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the private dockerd " + process.pid() + " survived SIGKILL for 20 s");
        }
        process = null;
        containerd.ifPresent(handle -> handle.onExit().completeOnTimeout(handle, 10, TimeUnit.SECONDS).join());
    }

    /**
     * Stops the daemon by its PID (SIGTERM, then SIGKILL after 20 s) and waits for it, then ends
     * the containerd it started, also by PID, if that outlived it.
     */
    public synchronized void stop() throws InterruptedException {
        closeClient();
        if (process == null) {
            endContainerd();
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
        endContainerd();
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // the daemon goes anyway
            }
            client = null;
        }
    }

    /** Ends the containerd this daemon started, by the PID in its pid file, if it outlived the daemon. */
    private void endContainerd() {
        containerd().ifPresent(containerd -> {
            containerd.destroy();
            try {
                containerd.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                containerd.destroyForcibly();
            }
        });
    }

    /** The containerd this daemon started, by the PID in its pid file, while it runs. */
    private Optional<ProcessHandle> containerd() {
        Path containerdPid = dir.resolve("exec/containerd/containerd.pid");
        try {
            if (Files.exists(containerdPid)) {
                long pid = Long.parseLong(Files.readString(containerdPid, StandardCharsets.UTF_8).strip());
                return ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith("containerd")).orElse(false));
            }
        } catch (IOException | NumberFormatException e) {
            // none
        }
        return Optional.empty();
    }

    /** The last lines of the daemon's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Ends every process left of this daemon, by PID: those whose command line names its folder
     * (containerd and the container shims, after a {@link #kill()} without restart), and their
     * descendants (the containers' processes), descendants first.
     */
    private void endLeftovers() {
        String marker = dir.toString();
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(args -> String.join(" ", args).contains(marker)).orElse(false))
                .toList();
        for (ProcessHandle leftover : leftovers) {
            leftover.descendants().forEach(ProcessHandle::destroyForcibly);
            leftover.destroyForcibly();
            leftover.onExit().completeOnTimeout(leftover, 10, TimeUnit.SECONDS).join();
        }
    }

    /** Stops the daemon and removes its folder (unmounting whatever it left mounted there). */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endLeftovers();
        // A daemon killed hard can leave overlay or shm mounts under its roots; remove files only after them.
        String mounts = Commands.run(List.of("sh", "-c", "grep -o ' " + dir + "[^ ]*' /proc/self/mounts || true")).output();
        mounts.lines().map(String::strip).filter(m -> !m.isEmpty()).sorted((a, b) -> b.length() - a.length())
                .forEach(mount -> Commands.run(List.of("umount", "-l", mount)));
        Commands.run(List.of("rm", "-rf", dir.toString()));
    }
}
