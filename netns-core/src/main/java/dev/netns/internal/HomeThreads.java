package dev.netns.internal;

import dev.netns.NamespaceId;
import dev.netns.NamespaceType;
import dev.netns.NetnsException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Starts library threads at home: a thread is born in the namespaces of the thread that starts it,
 * so every thread the library starts must be started by a thread in the host's network, UTS and
 * IPC namespaces (those of the thread-group leader, {@code /proc/self/ns/*}).
 *
 * <p>When the calling thread is at home, it starts the thread itself. When it is not (a caller
 * that entered a namespace with {@code Netns.set}, a pinned worker), a short-lived bootstrap
 * thread is started instead: before it does anything else it enters the host's namespaces, proves
 * it is there, and only then starts the thread asked for; the caller waits until the bootstrap
 * thread is gone. The caller's thread is never moved.
 */
public final class HomeThreads {

    private static final List<NamespaceType> PER_THREAD = List.of(NamespaceType.NET, NamespaceType.UTS, NamespaceType.IPC);
    private static final long GONE_TIMEOUT_NANOS = 5_000_000_000L;

    private HomeThreads() {
    }

    /**
     * Starts a daemon platform thread that is born in the host's namespaces.
     *
     * @throws NetnsException when no thread at home could be had to start it (the host's
     *     namespaces cannot be entered)
     */
    public static Thread start(String name, Runnable body) {
        Linux.require();
        if (isAtHome()) {
            return startHere(name, body);
        }
        AtomicReference<Thread> started = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] bootstrapTid = new int[1];
        Thread bootstrap = new Thread(() -> {
            bootstrapTid[0] = Syscalls.gettid();
            try {
                goHome();
                started.set(startHere(name, body));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name + "-bootstrap");
        bootstrap.setDaemon(true);
        bootstrap.start();
        joinUninterruptibly(bootstrap);
        awaitGone(bootstrapTid[0]);
        Throwable e = failure.get();
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        Thread thread = started.get();
        if (thread == null) {
            throw new NetnsException("Could not start " + name + " at home: " + e, e);
        }
        return thread;
    }

    private static Thread startHere(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Whether the calling thread is in the host's network, UTS and IPC namespaces. */
    public static boolean isAtHome() {
        for (NamespaceType type : PER_THREAD) {
            NamespaceId mine = Syscalls.idOfOrNull("/proc/thread-self/ns/" + type.procName());
            if (mine == null || !mine.equals(Syscalls.idOfOrNull("/proc/self/ns/" + type.procName()))) {
                return false;
            }
        }
        return true;
    }

    /** Moves the calling (library-owned) thread into the host's namespaces and checks it arrived. */
    private static void goHome() {
        for (NamespaceType type : PER_THREAD) {
            int fd = Syscalls.openNamespace("/proc/self/ns/" + type.procName(), "Cannot open the host's namespace");
            try {
                Syscalls.setns(fd, type);
            } finally {
                Syscalls.closeQuietly(fd);
            }
        }
        if (!isAtHome()) {
            throw new NetnsException(Thread.currentThread().getName() + " entered the host's namespaces but is not there");
        }
    }

    /** Waits for a thread to end, keeping an interrupt for the caller. */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until an OS thread of this JVM is gone from {@code /proc/self/task}: a Java thread has
     * ended ({@link Thread#join()} returned) a moment before its OS thread has.
     *
     * @throws NetnsException when it is still listed after 5 s
     */
    public static void awaitGone(int tid) {
        if (tid <= 0) {
            return;
        }
        byte[] task = Syscalls.nativePath("/proc/self/task/" + tid);
        long deadline = System.nanoTime() + GONE_TIMEOUT_NANOS;
        for (int spins = 0; Syscalls.idOfOrNull(task) != null; spins++) {
            if (System.nanoTime() > deadline) {
                throw new NetnsException("Thread " + tid + " has ended but is still listed in /proc/self/task after 5 s");
            }
            if (spins > 100) {
                LockSupport.parkNanos(100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

}
