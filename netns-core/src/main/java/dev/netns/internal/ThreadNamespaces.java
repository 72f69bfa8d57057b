package dev.netns.internal;

import dev.netns.NamespaceId;
import dev.netns.NamespaceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The namespaces one thread can move in, read through its own {@code /proc/thread-self/ns}
 * directory, held open so each look-up resolves only the last link (about half the cost of the
 * whole path).
 *
 * <p><b>Which kinds.</b> A thread of a multithreaded process can change its {@code net},
 * {@code uts}, {@code ipc} and {@code cgroup} namespaces (setns or unshare), its {@code mnt}
 * namespace ({@code unshare(CLONE_NEWNS)} unshares the thread's filesystem data with it, as
 * {@code ip netns exec} does before remounting {@code /sys}), and the {@code pid} and
 * {@code time} namespaces its <em>children</em> will be born in ({@code pid_for_children},
 * {@code time_for_children}); each of those changes what the thread or a process it starts sees.
 * Its {@code user} namespace cannot change (the kernel refuses with EINVAL in a multithreaded
 * process), nor can its own {@code pid} and {@code time} namespaces, so they are not looked at.
 * A kind this kernel does not have (no {@code time} before Linux 5.6) reads as null on both sides
 * and always matches.
 */
public final class ThreadNamespaces implements AutoCloseable {

    /** The kinds looked at, as named in {@code /proc/thread-self/ns}; {@code net} first. */
    static final String[] KINDS = {"net", "uts", "ipc", "cgroup", "mnt", "pid_for_children", "time_for_children"};
    private static final NamespaceType[] TYPES = {NamespaceType.NET, NamespaceType.UTS, NamespaceType.IPC,
        NamespaceType.CGROUP, NamespaceType.MNT, NamespaceType.PID, NamespaceType.TIME};
    private static final byte[][] NATIVE_KINDS = new byte[KINDS.length][];

    static {
        for (int i = 0; i < KINDS.length; i++) {
            byte[] ascii = KINDS[i].getBytes(StandardCharsets.US_ASCII); // the same in any encoding
            NATIVE_KINDS[i] = java.util.Arrays.copyOf(ascii, ascii.length + 1);
        }
    }

    private static volatile NamespaceId @Nullable [] home;

    private final int dirFd;
    private final NamespaceId[] expected;

    private ThreadNamespaces(int dirFd, NamespaceId[] expected) {
        this.dirFd = dirFd;
        this.expected = expected;
    }

    /**
     * Opens the calling thread's namespace directory; the thread is expected to stay in this JVM's
     * own namespaces in every kind but {@code net}, which is {@code net}.
     */
    public static ThreadNamespaces ofCallingThread(NamespaceId net) {
        int dir = Syscalls.open("/proc/thread-self/ns", Syscalls.O_PATH | Syscalls.O_DIRECTORY, 0,
                "Cannot open the namespace directory of thread " + Thread.currentThread().getName());
        NamespaceId[] expected = homeIds().clone();
        expected[0] = net;
        return new ThreadNamespaces(dir, expected);
    }

    /** Expects the thread in another network namespace from now on (it was moved there on purpose). */
    public void expectNet(NamespaceId net) {
        expected[0] = net;
    }

    /** Whether the thread is where it is expected in every kind (one {@code statx} per kind). */
    public boolean inPlace() {
        for (int i = 0; i < KINDS.length; i++) {
            if (!Objects.equals(expected[i], Syscalls.idOfOrNull(dirFd, NATIVE_KINDS[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the thread is in the expected network namespace (one {@code statx}): enough after a move that touched only that. */
    public boolean netInPlace() {
        return Objects.equals(expected[0], Syscalls.idOfOrNull(dirFd, NATIVE_KINDS[0]));
    }

    /** The kinds the thread is not where expected in, for messages. */
    public List<String> movedKinds() {
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < KINDS.length; i++) {
            if (!Objects.equals(expected[i], Syscalls.idOfOrNull(dirFd, NATIVE_KINDS[i]))) {
                moved.add(KINDS[i]);
            }
        }
        return moved;
    }

    @Override
    public void close() {
        Syscalls.closeQuietly(dirFd);
    }

    /**
     * This JVM's own namespaces, "home": the thread-group leader's ({@code /proc/self/ns}), which
     * no library call ever moves. Read once.
     */
    static NamespaceId[] homeIds() {
        NamespaceId[] ids = home;
        if (ids == null) {
            ids = new NamespaceId[KINDS.length];
            for (int i = 0; i < KINDS.length; i++) {
                ids[i] = Syscalls.idOfOrNull("/proc/self/ns/" + KINDS[i]);
            }
            home = ids;
        }
        return ids;
    }

    /**
     * Moves the calling thread home in every kind it is away in, and checks it arrived.
     *
     * @throws dev.netns.NetnsException when a move fails (without CAP_SYS_ADMIN, say)
     */
    public static void goHome() {
        NamespaceId[] ids = homeIds();
        for (int i = 0; i < KINDS.length; i++) {
            String kind = KINDS[i];
            if (!Objects.equals(ids[i], Syscalls.idOfOrNull("/proc/thread-self/ns/" + kind))) {
                int fd = Syscalls.openNamespace("/proc/self/ns/" + kind, "Cannot move thread "
                        + Thread.currentThread().getName() + " home");
                try {
                    if (TYPES[i] == NamespaceType.MNT) {
                        // setns into a mount namespace needs filesystem data of its own: a thread
                        // shares its creator's, so one born away in mnt must unshare it first
                        Syscalls.unshareFilesystem();
                    }
                    Syscalls.setns(fd, TYPES[i]);
                } finally {
                    Syscalls.closeQuietly(fd);
                }
                if (!Objects.equals(ids[i], Syscalls.idOfOrNull("/proc/thread-self/ns/" + kind))) {
                    throw new dev.netns.NetnsException("Thread " + Thread.currentThread().getName()
                            + " did not arrive in this JVM's " + kind + " namespace");
                }
            }
        }
    }

    /** Whether the calling thread is home in every kind. */
    public static boolean atHome() {
        NamespaceId[] ids = homeIds();
        for (int i = 0; i < KINDS.length; i++) {
            if (!Objects.equals(ids[i], Syscalls.idOfOrNull("/proc/thread-self/ns/" + KINDS[i]))) {
                return false;
            }
        }
        return true;
    }
}
