package dev.netns.test;

import dev.netns.HandleInfo;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.ThreadNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on what code that uses namespaces leaves behind: threads outside this JVM's own
 * network namespace, and namespace handles left open or garbage-collected while open.
 */
public final class NetnsAssertions {

    private static final String EXECUTOR_HANDLE = "executor:";
    private static final long GRACE_NANOS = 2_000_000_000L;

    private NetnsAssertions() {
    }

    /**
     * Fails, naming them, if any thread of this JVM is a stray: outside this JVM's own network
     * namespace without being a pinned worker of the library ({@link Netns#threads()}). A stray
     * is what {@code Netns.set} without switching back, or a thread started inside a namespace,
     * leaves; everything started from it is born there too. A thread that is ending (a pinned
     * worker retiring after its executors were closed, say) is given up to two seconds to end.
     */
    public static void assertNoStrayThreads() {
        long deadline = System.nanoTime() + GRACE_NANOS;
        List<ThreadNamespace> strays = strays();
        while (!strays.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L);
            strays = strays();
        }
        if (!strays.isEmpty()) {
            throw new AssertionFailedError(strays.size() + " thread(s) outside this JVM's network namespace ("
                    + Netns.hostId() + "): " + strays.stream()
                            .map(thread -> thread.name() + " (tid " + thread.tid() + ", in " + thread.netns() + ")")
                            .collect(Collectors.joining(", ")));
        }
    }

    /**
     * Runs the code and fails, naming them, if it left namespace handles of the default runtime
     * open (besides those the library's pinned executors hold while they live) or if one was
     * garbage-collected while open meanwhile ({@link Netns#leakedHandles()}). Handles other threads
     * open meanwhile count too: use it where nothing else opens handles.
     */
    public static void assertNoLeakedHandles(Executable code) throws Throwable {
        assertNoLeakedHandles(NetnsRuntime.defaultRuntime(), code);
    }

    /**
     * {@link #assertNoLeakedHandles(Executable)} for the handles of a runtime, such as the one of a
     * Spring application context (its {@code NetnsRuntime} bean).
     */
    public static void assertNoLeakedHandles(NetnsRuntime runtime, Executable code) throws Throwable {
        List<String> before = describe(runtime.openHandles());
        long leakedBefore = runtime.leakedHandles();
        code.execute();
        List<String> left = describe(runtime.openHandles());
        left.removeAll(before);
        long leaked = runtime.leakedHandles() - leakedBefore;
        if (!left.isEmpty() || leaked > 0) {
            throw new AssertionFailedError((left.isEmpty() ? "" : left.size() + " handle(s) left open: " + left
                    + (leaked > 0 ? "; " : "")) + (leaked > 0 ? leaked + " handle(s) garbage-collected while open" : ""));
        }
    }

    private static List<ThreadNamespace> strays() {
        return Netns.threads().stream().filter(ThreadNamespace::stray).toList();
    }

    private static List<String> describe(List<HandleInfo> handles) {
        List<String> described = new ArrayList<>();
        for (HandleInfo handle : handles) {
            if (!handle.source().startsWith(EXECUTOR_HANDLE)) {
                described.add(handle.source() + " fd " + handle.fd() + " opened by " + handle.thread() + " at "
                        + handle.openedAt());
            }
        }
        return described;
    }
}
