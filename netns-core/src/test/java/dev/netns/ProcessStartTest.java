package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@link NamespaceTemplate#start}: real processes in real namespaces. */
@RequiresPrivileges
class ProcessStartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final NamespaceTemplate template = new NamespaceTemplate();

    @TempDir
    Path temp;

    @AfterEach
    void closeExecutors() {
        template.executors().close();
    }

    /** A veth pair inside the namespace, {@code link} and {@code linkp}, to tell namespaces apart. */
    private static void addLink(String namespace, String link) {
        Commands.check("ip", "-n", namespace, "link", "add", link, "type", "veth", "peer", "name", link + "p");
    }

    private static String output(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void aStartedIpLinkSeesOnlyTheLinksOfItsNamespace() throws Exception {
        String name = namespaces.ipNetnsAdd();
        addLink(name, "nt-inside0");
        Process process = template.start(name, new ProcessBuilder("ip", "-j", "link"));
        List<String> links = new ArrayList<>();
        for (JsonNode link : JSON.readTree(output(process))) {
            links.add(link.get("ifname").asString());
        }
        assertThat(links).containsExactlyInAnyOrder("lo", "nt-inside0", "nt-inside0p");
        assertThat(process.exitValue()).isZero();

        Process cat = template.start("name:" + name, new ProcessBuilder("cat", "/proc/self/net/dev"));
        assertThat(output(cat)).contains("nt-inside0:").contains("lo:").doesNotContain("eth0:");
        assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
    }

    @Test
    void fiftyConcurrentProcessesAcrossTenNamespacesLeaveNoStrayThread() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = namespaces.ipNetnsAdd();
            addLink(name, "nt-mark" + i);
            names.add(name);
        }
        int threadsBefore = Netns.threads().size();
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            List<Future<Process>> started = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String name = names.get(i % 10);
                started.add(callers.submit(() -> template.start(name,
                        new ProcessBuilder("sh", "-c", "cat /proc/self/net/dev; cat >/dev/null")))); // lives until stdin closes
            }
            List<Process> processes = new ArrayList<>();
            for (Future<Process> future : started) {
                processes.add(future.get(60, TimeUnit.SECONDS));
            }
            // all 50 alive at once: one reaper thread for all of them, none in a namespace
            assertThat(processes).allMatch(Process::isAlive);
            assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
            assertThat(Netns.threads().size()).isLessThan(threadsBefore + 50);
            for (Process process : processes) {
                process.getOutputStream().close();
            }
            for (int i = 0; i < 50; i++) {
                String output = output(processes.get(i));
                assertThat(output).contains("nt-mark" + (i % 10) + ":");
                for (int other = 0; other < 10; other++) {
                    if (other != i % 10) {
                        assertThat(output).doesNotContain("nt-mark" + other + ":");
                    }
                }
                assertThat(processes.get(i).exitValue()).isZero();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
    }

    @Test
    void theBuilderIsFollowedAsTheJdkFollowsIt() throws Exception {
        String name = namespaces.ipNetnsAdd();
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "echo \"$NT_VALUE\" in \"$(pwd)\"; echo oops >&2; exit 3")
                .directory(temp.toFile()).redirectErrorStream(true);
        builder.environment().put("NT_VALUE", "välue");
        Process process = template.start(name, builder);
        assertThat(output(process)).isEqualTo("välue in " + temp.toRealPath() + "\noops\n");
        assertThat(process.exitValue()).isEqualTo(3);
        assertThat(process.getErrorStream().read()).isEqualTo(-1);

        Path out = temp.resolve("out.txt");
        Files.writeString(out, "old\n");
        Process toFile = template.start(name, new ProcessBuilder("echo", "appended").redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())));
        assertThat(toFile.waitFor()).isZero();
        assertThat(Files.readString(out)).isEqualTo("old\nappended\n");
        assertThat(toFile.getInputStream().read()).isEqualTo(-1);

        Process cat = template.start(name, new ProcessBuilder("cat"));
        try (OutputStream stdin = cat.getOutputStream()) {
            stdin.write("through stdin".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(output(cat)).isEqualTo("through stdin");

        Process fds = template.start(name, new ProcessBuilder("ls", "/proc/self/fd"));
        assertThat(output(fds).split("\n")).as("only stdio and ls's own directory").containsExactly("0", "1", "2", "3");
    }

    @Test
    void destroyExitValueAndOnExitBehaveAsTheJdksAndCompleteAtHome() throws Exception {
        String name = namespaces.ipNetnsAdd();
        Process sleeper = template.start(name, new ProcessBuilder("sleep", "60"));
        assertThat(sleeper.isAlive()).isTrue();
        assertThatThrownBy(sleeper::exitValue).isInstanceOf(IllegalThreadStateException.class);
        assertThat(sleeper.toHandle().pid()).isEqualTo(sleeper.pid());
        try (NsHandle child = Netns.fromPid((int) sleeper.pid()); NsHandle inside = Netns.fromName(name)) {
            assertThat(child.equal(inside)).isTrue();
        }
        CompletableFuture<Boolean> stageAtHome = sleeper.onExit().thenApply(process -> {
            try (NsHandle current = Netns.get()) {
                return Netns.hostId().equals(current.id());
            }
        });
        sleeper.destroyForcibly();
        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sleeper.exitValue()).isEqualTo(128 + 9);
        assertThat(stageAtHome.get(10, TimeUnit.SECONDS)).isTrue();
        sleeper.destroy(); // after it was reaped: signals nothing

        Process terminated = template.start(name, new ProcessBuilder("sleep", "60"));
        terminated.destroy();
        assertThat(terminated.waitFor()).isEqualTo(128 + 15);
    }

    @Test
    void badInputIsRefusedWithTypedExceptionsAndLeavesNothingBehind() throws Exception {
        String name = namespaces.ipNetnsAdd();
        template.start(name, new ProcessBuilder("true")).waitFor(); // executors and the reaper set up once
        List<String> fdsBefore = Fds.targets();
        assertThatThrownBy(() -> template.start(name, new ProcessBuilder("nt-no-such-program")))
                .isInstanceOf(IOException.class).hasMessageContaining("nt-no-such-program").hasMessageContaining("error=2");
        assertThatThrownBy(() -> template.start(name, new ProcessBuilder("cat")
                .redirectInput(temp.resolve("missing").toFile()))).isInstanceOf(IOException.class).hasMessageContaining("error=2");
        assertThatThrownBy(() -> template.start(name, new ProcessBuilder("true").directory(temp.resolve("missing").toFile())))
                .isInstanceOf(IOException.class).hasMessageContaining("error=2");
        assertThatThrownBy(() -> template.start(name, new ProcessBuilder("echo", "a\0b"))).isInstanceOf(IOException.class)
                .hasMessageContaining("null character");
        assertThatThrownBy(() -> template.start(name, new ProcessBuilder(new ArrayList<>())))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> template.start("nt-missing-" + System.nanoTime(), new ProcessBuilder("true")))
                .isInstanceOf(NamespaceNotFoundException.class);
        for (int i = 0; i < 20; i++) {
            Process process = template.start(name, new ProcessBuilder("true"));
            assertThat(output(process)).isEmpty();
            process.getOutputStream().close();
            process.getErrorStream().close();
        }
        Thread.sleep(100); // the reaper closes a pidfd right after waitFor returns
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
    }

    @Test
    void aCallerInsideANamespaceStaysThereAndLeavesNoThreadBehind() throws Exception {
        String callerNamespace = namespaces.ipNetnsAdd();
        String target = namespaces.ipNetnsAdd();
        addLink(target, "nt-target0");
        try (NsHandle caller = Netns.fromName(callerNamespace); NsHandle home = Netns.get()) {
            String seen = OnThread.call(() -> {
                Netns.set(caller);
                try {
                    String output = output(template.start(target, new ProcessBuilder("cat", "/proc/self/net/dev")));
                    try (NsHandle now = Netns.get()) {
                        assertThat(now.equal(caller)).isTrue();
                    }
                    return output;
                } finally {
                    Netns.set(home);
                }
            });
            assertThat(seen).contains("nt-target0:");
        }
        assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
    }
}
