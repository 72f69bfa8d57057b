package dev.netns.testsupport;

import dev.netns.HandleInfo;
import dev.netns.internal.CreatedNamespaces;
import dev.netns.internal.HandleRegistry;
import dev.netns.internal.Linux;
import dev.netns.internal.PinnedThreads;
import dev.netns.internal.ProcFs;
import dev.netns.internal.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves behind what the library promises never to leave: a JVM thread
 * outside this JVM's own namespaces (any kind a thread can move in) that is not a live pinned
 * worker; a namespace handle opened during the class and still open, through any runtime (unless
 * the class declares it with {@link LeavesOpenHandles}); a named namespace this JVM created during the class whose
 * run-dir entry or mount is still there. Registered for every test class of every module by
 * auto-detection ({@code META-INF/services}, enabled in {@code junit-platform.properties}).
 *
 * <p>Other processes (other test JVMs, the tests' own child JVMs, {@code ip netns}) create
 * run-dir entries at the same time: only files this JVM created through the library are looked
 * at ({@link CreatedNamespaces}), and only threads of this JVM, so another process's work is never
 * counted. What existed before the class started is not counted either. Leftovers get a few
 * seconds to go, since threads and executors end asynchronously.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

    private static final String[] KINDS = {"net", "uts", "ipc", "cgroup", "mnt", "pid_for_children", "time_for_children"};
    /** Configuration parameter: how long leftovers get to go, in milliseconds (default 5,000). */
    public static final String GRACE_MILLIS = "netns.leak-check.grace-millis";

    private record Baseline(Set<Integer> awayThreads, Set<HandleInfo> handles, int createdMark) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Linux.isLinux()) {
            return;
        }
        CreatedNamespaces.track(true);
        Baseline baseline = new Baseline(new HashSet<>(awayThreads().keySet()), new HashSet<>(HandleRegistry.snapshotOfAll()),
                CreatedNamespaces.mark());
        context.getStore(ExtensionContext.Namespace.create(LeakCheck.class)).put("baseline", baseline);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        Baseline baseline = context.getStore(ExtensionContext.Namespace.create(LeakCheck.class))
                .remove("baseline", Baseline.class);
        if (baseline == null) {
            return;
        }
        boolean handlesDeclared = context.getRequiredTestClass().isAnnotationPresent(LeavesOpenHandles.class);
        long deadline = System.currentTimeMillis()
                + context.getConfigurationParameter(GRACE_MILLIS).map(Long::parseLong).orElse(5_000L);
        List<String> problems;
        do {
            problems = leftovers(baseline, handlesDeclared);
            if (problems.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError(context.getRequiredTestClass().getSimpleName() + " left behind:\n  "
                + String.join("\n  ", problems));
    }

    private static List<String> leftovers(Baseline baseline, boolean handlesDeclared) {
        List<String> problems = new ArrayList<>();
        awayThreads().forEach((tid, away) -> {
            if (!baseline.awayThreads.contains(tid) && !PinnedThreads.contains(tid)) {
                problems.add("thread " + tid + " (" + ProcFs.threadName(tid) + ") outside this JVM's namespaces: " + away);
            }
        });
        if (!handlesDeclared) {
            for (HandleInfo handle : HandleRegistry.snapshotOfAll()) {
                if (!baseline.handles.contains(handle)) {
                    problems.add("open handle " + handle.uniqueId() + " fd " + handle.fd() + " (" + handle.source()
                            + ", opened by " + handle.thread() + ")");
                }
            }
        }
        String mounts = mountInfo();
        for (Path file : CreatedNamespaces.since(baseline.createdMark)) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add("run-dir entry " + file);
            }
            if (mounts.contains(" " + file + " ")) {
                problems.add("mount on " + file);
            }
        }
        return problems;
    }

    /** Threads of this JVM that are not in its own namespaces, with the kinds they are away in. */
    private static java.util.Map<Integer, List<String>> awayThreads() {
        java.util.Map<Integer, List<String>> away = new java.util.TreeMap<>();
        String[] home = new String[KINDS.length];
        for (int i = 0; i < KINDS.length; i++) {
            home[i] = String.valueOf(Syscalls.idOfOrNull("/proc/self/ns/" + KINDS[i]));
        }
        for (int tid : ProcFs.threadIds()) {
            List<String> kinds = new ArrayList<>();
            for (int i = 0; i < KINDS.length; i++) {
                Object id = Syscalls.idOfOrNull("/proc/self/task/" + tid + "/ns/" + KINDS[i]);
                if (id != null && !Objects.equals(home[i], String.valueOf(id))) {
                    kinds.add(KINDS[i]);
                }
            }
            if (!kinds.isEmpty()) {
                away.put(tid, kinds);
            }
        }
        return away;
    }

    private static String mountInfo() {
        try {
            return Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
