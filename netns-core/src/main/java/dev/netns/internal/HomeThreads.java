package dev.netns.internal;

import dev.netns.NamespaceId;
import dev.netns.NamespaceType;
import dev.netns.NetnsException;
import java.util.Objects;

/**
 * Starts library threads at home: a thread is born in the network namespace of the thread that
 * starts it, so a thread the library starts on behalf of a caller inside a namespace (a callback, a
 * pinned worker) would be born there. From a thread at home the new thread is started directly;
 * from anywhere else a throwaway thread first moves home ({@code setns} to this JVM's own
 * namespace, checked) and starts it from there.
 */
public final class HomeThreads {

    private static final String HOST_NET_NS = "/proc/self/ns/net";
    private static final String THREAD_NET_NS = "/proc/thread-self/ns/net";

    private HomeThreads() {
    }

    /** Whether the calling thread is in this JVM's own network namespace. */
    public static boolean atHome() {
        NamespaceId here = Syscalls.idOfOrNull(THREAD_NET_NS);
        return here != null && here.equals(Syscalls.idOfOrNull(HOST_NET_NS));
    }

    /**
     * Starts the (not yet started) thread from a thread in this JVM's own network namespace.
     *
     * @throws NetnsException when the calling thread is elsewhere and the way home fails (without
     *     CAP_SYS_ADMIN, say); the thread is not started then
     */
    public static void start(Thread thread) {
        Objects.requireNonNull(thread, "thread");
        Linux.require();
        if (atHome()) {
            thread.start();
            return;
        }
        Throwaway.call("netns-home-starter", () -> {
            moveHome();
            thread.start();
            return null;
        });
    }

    /** Moves the calling thread into this JVM's own network namespace and checks that it arrived. */
    public static void moveHome() {
        int fd = Syscalls.openNamespace(HOST_NET_NS, "Cannot open this JVM's network namespace");
        try {
            Syscalls.setns(fd, NamespaceType.NET);
        } finally {
            Syscalls.closeQuietly(fd);
        }
        if (!atHome()) {
            throw new NetnsException("Thread " + Thread.currentThread().getName() + " did not arrive home after setns");
        }
    }
}
