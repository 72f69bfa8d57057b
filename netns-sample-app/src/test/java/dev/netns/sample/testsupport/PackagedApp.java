package dev.netns.sample.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged sample application in a process of its own, started with {@code SERVER_PORT=0}
 * (a free port the kernel picks, read back from the log, so two runs on one machine never
 * clash), its output kept in a log file under {@code target/}, and stopped by its PID.
 */
public final class PackagedApp implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

    /**
     * Made, and used once, before any application starts: loading the HTTP client's classes must
     * not count against the application's start-up time.
     */
    private static final HttpClient HTTP = warmedUp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());

    private final Process process;
    private final Path log;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final long startedNanos = System.nanoTime();

    private PackagedApp(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::copyOutput, "packaged-app-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The packaged jar, as the build names it ({@code netns.sample.jar}, set by failsafe). */
    public static Path jar() {
        return Path.of(System.getProperty("netns.sample.jar", "target/netns-sample-app.jar")).toAbsolutePath().normalize();
    }

    /** The repository's root ({@code netns.sample.project-root}, set by failsafe). */
    public static Path projectRoot() {
        return Path.of(System.getProperty("netns.sample.project-root", "..")).toAbsolutePath().normalize();
    }

    /**
     * Starts {@code command} in {@code directory} with {@code SERVER_PORT=0} and the extra
     * environment given; its output goes to {@code target/LOGNAME.log}.
     */
    public static PackagedApp start(List<String> command, Path directory, Map<String, String> environment, String logName)
            throws IOException {
        Path log = Path.of("target", logName + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        return new PackagedApp(process, log);
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.println(line);
                Matcher started = STARTED.matcher(line);
                if (started.find()) {
                    port.complete(Integer.parseInt(started.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        } finally {
            port.completeExceptionally(new IllegalStateException("the application exited before it listened; see " + log));
        }
    }

    /** The process id: what {@link #close()} stops. */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code /actuator/health} answers 200 within {@code limit} of the start, and
     * returns how long it took.
     */
    public Duration awaitHealthy(Duration limit) throws Exception {
        long deadline = startedNanos + limit.toNanos();
        int listening = port.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        HttpClient http = HTTP;
        URI health = URI.create("http://127.0.0.1:" + listening + "/actuator/health");
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/actuator/health did not answer 200 within " + limit + " (last: " + last + "); see " + log);
    }

    private static HttpClient warmedUp(HttpClient client) {
        try {
            // loopback port 1: nothing listens there, the refusal is immediate
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // expected
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return client;
    }

    /** The port it listens on, once it does. */
    public int port() throws Exception {
        return port.get(60, TimeUnit.SECONDS);
    }

    /** The log so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Stops the process by its PID: SIGTERM (a graceful Spring shutdown), then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
