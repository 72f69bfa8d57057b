package dev.netns.testsupport;

import com.github.dockerjava.api.DockerClient;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
     * Stops the daemon by its PID (SIGTERM, then SIGKILL after 20 s) and waits for it, then ends
     * the containerd it started, also by PID, if that outlived it.
     */
    public synchronized void stop() throws InterruptedException {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // the daemon goes anyway
            }
            client = null;
        }
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
        Path containerdPid = dir.resolve("exec/containerd/containerd.pid");
        try {
            if (Files.exists(containerdPid)) {
                long pid = Long.parseLong(Files.readString(containerdPid, StandardCharsets.UTF_8).strip());
                ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith("containerd")).orElse(false))
                        .ifPresent(containerd -> {
                            containerd.destroy();
                            try {
                                containerd.onExit().get(10, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                containerd.destroyForcibly();
                            }
                        });
            }
        } catch (IOException | NumberFormatException e) {
            // nothing to end
        }
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

    /** Stops the daemon and removes its folder (unmounting whatever it left mounted there). */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A daemon killed hard can leave overlay or shm mounts under its roots; remove files only after them.
        String mounts = Commands.run(List.of("sh", "-c", "grep -o ' " + dir + "[^ ]*' /proc/self/mounts || true")).output();
        mounts.lines().map(String::strip).filter(m -> !m.isEmpty()).sorted((a, b) -> b.length() - a.length())
                .forEach(mount -> Commands.run(List.of("umount", "-l", mount)));
        Commands.run(List.of("rm", "-rf", dir.toString()));
    }
}
