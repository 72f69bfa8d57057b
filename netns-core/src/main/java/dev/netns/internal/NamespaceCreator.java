package dev.netns.internal;

import dev.netns.NamespaceId;
import dev.netns.NamespaceType;
import dev.netns.NetnsException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Creates network namespaces without moving the caller's thread and without starting a thread
 * per namespace: one long-lived creator thread, started at home ({@link HomeThreads}), takes
 * requests in turn. For each it unshares a new network namespace, opens it (path-free through a
 * pidfd of its own thread where the kernel can: {@link ThreadNetNamespace}), switches back to its
 * home namespace and proves it is there (a {@code statx} of {@code /proc/thread-self/ns/net}),
 * and only then hands the namespace's fd to the caller. A creator that cannot get home is retired:
 * it ends, the caller waits until its OS thread is gone from {@code /proc/self/task}, and the next
 * request starts a new creator. So when a call that used the creator returns, no creator thread
 * is inside the namespace it made.
 *
 * <p>A request is made ({@link #request}) and its namespace taken ({@link Pending#await}) apart,
 * so that a caller with work of its own meanwhile overlaps the two: a named create asks for its
 * namespace before it makes the name's file, and the creator unshares (about 200 microseconds)
 * while the file is made (as long again on ext4). The hand-off back costs a wake-up of the parked
 * caller: on a 2-vCPU VM the woken thread runs 50 to 100 microseconds later when its vCPU was
 * idle, and the waker spends some 40 in the call. The creator starts it as soon as the unshare
 * returned, before its last few syscalls, and the caller then waits awake for at most
 * {@value #EXPECT_NANOS} ns before it parks again. (Waiting awake throughout, on either side, was
 * measured slower there: the spinning vCPU competes with the kernel's own work on the two.)
 */
public final class NamespaceCreator {

    private static final NamespaceCreator INSTANCE = new NamespaceCreator();

    /** How long a caller woken ahead of its outcome waits for it awake before it parks again. */
    private static final long EXPECT_NANOS = 50_000;

    private final Object lock = new Object();
    private volatile @Nullable Creator creator;
    private volatile boolean failNextHomecoming;

    private NamespaceCreator() {
    }

    public static NamespaceCreator instance() {
        return INSTANCE;
    }

    /**
     * A new network namespace, as an fd open {@code O_RDONLY|O_CLOEXEC} that the caller owns. No
     * thread is in it when this returns.
     *
     * @throws NetnsException as {@code unshare} or {@code open} failed (EPERM without CAP_SYS_ADMIN)
     */
    public int newNetworkNamespace() {
        return request().await();
    }

    /**
     * Asks for a new network namespace, which the creator makes while the caller goes on; the
     * caller then either {@linkplain Pending#await takes it} or {@linkplain Pending#discard discards
     * it}, and must do one of the two.
     */
    public Pending request() {
        Linux.require();
        return new Pending();
    }

    /** A namespace asked for: taken once by {@link #await}, else closed by {@link #discard}. Not thread-safe. */
    public final class Pending {

        private Request request = new Request();
        private Creator serving = submit(request);
        private boolean ended;

        private Pending() {
        }

        /**
         * The namespace, as an fd the caller owns from now on; no thread is in it when this
         * returns. Waits through interrupts (which are kept).
         *
         * @throws NetnsException as {@code unshare} or {@code open} failed
         * @throws IllegalStateException when it was taken or discarded already
         */
        public int await() {
            if (ended) {
                throw new IllegalStateException("the namespace was taken or discarded already");
            }
            ended = true;
            while (true) {
                Outcome outcome = request.await();
                if (outcome.retired) {
                    Thread gone = serving.thread;
                    if (gone != null) {
                        HomeThreads.joinUninterruptibly(gone);
                    }
                    HomeThreads.awaitGone(serving.tid.join());
                }
                if (outcome.failure instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (outcome.failure instanceof Error error) {
                    throw error;
                }
                if (outcome.failure != null) {
                    throw new NetnsException("Creating a network namespace failed: " + outcome.failure, outcome.failure);
                }
                if (outcome.fd >= 0) {
                    return outcome.fd;
                }
                // handed back unserved by a creator that retired before reaching it: ask the next one
                request = new Request();
                serving = submit(request);
            }
        }

        /** Whether {@link #await} or {@link #discard} was called. */
        public boolean taken() {
            return ended;
        }

        /**
         * Closes the namespace unless it was taken, after waiting for the creator to finish it, so
         * that no thread is in it when this returns. A failure to make it is no failure here.
         */
        public void discard() {
            if (ended) {
                return;
            }
            try {
                Syscalls.closeQuietly(await());
            } catch (RuntimeException e) {
                // nothing was made, so there is nothing to close
            }
        }
    }

    /** Test hook: the next creator to go home pretends it could not, and retires. */
    void failNextHomecoming() {
        failNextHomecoming = true;
    }

    private Creator submit(Request request) {
        synchronized (lock) {
            if (creator == null || creator.retired) {
                creator = new Creator();
                creator.thread = HomeThreads.start("netns-creator", creator::run);
            }
            creator.queue.add(request);
            LockSupport.unpark(creator.thread);
            return creator;
        }
    }

    private record Outcome(int fd, @Nullable Throwable failure, boolean retired) {
    }

    /** A request and its outcome, handed between the caller, which waits, and the creator. */
    private static final class Request {
        final Thread caller = Thread.currentThread();
        volatile @Nullable Outcome outcome;
        volatile long awakeUntil;

        /** Wakes the caller ahead of the outcome, which it then waits for awake (its wake-up overlaps the creator's last steps). */
        void wakeSoon() {
            awakeUntil = System.nanoTime() + EXPECT_NANOS;
            LockSupport.unpark(caller);
        }

        void complete(Outcome result) {
            outcome = result;
            LockSupport.unpark(caller);
        }

        /** The outcome, waited for through interrupts (kept for the caller). */
        Outcome await() {
            boolean interrupted = false;
            Outcome result;
            while ((result = outcome) == null) {
                if (System.nanoTime() - awakeUntil < 0) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return result;
        }
    }

    private final class Creator {

        final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Integer> tid = new CompletableFuture<>();
        final byte[] threadNet = Syscalls.nativePath("/proc/thread-self/ns/net");
        volatile boolean retired;
        volatile @Nullable Thread thread;

        void run() {
            int ownTid = Syscalls.gettid();
            tid.complete(ownTid);
            NamespaceId homeId;
            try {
                homeId = Syscalls.idOf("/proc/thread-self/ns/net", "The namespace creator cannot see its home");
            } catch (RuntimeException | Error e) {
                retire(null, e, -1);
                return;
            }
            while (true) {
                Request request = takeUninterruptibly();
                // Opened for each request (no fd held between them), and home before leaving home.
                ThreadNetNamespace own = ThreadNetNamespace.ofCallingThread(ownTid);
                int home;
                try {
                    home = own.open("The namespace creator cannot open its home");
                } catch (RuntimeException | Error e) {
                    own.close();
                    request.complete(new Outcome(-1, e, false));
                    continue;
                }
                int fd = -1;
                Throwable failure = null;
                try {
                    Syscalls.unshare(NamespaceType.NET);
                    request.wakeSoon(); // the rest takes a few syscalls
                    fd = own.open("Cannot open the new namespace");
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    own.close();
                }
                boolean isHome = goHome(home, homeId);
                Syscalls.closeQuietly(home);
                if (!isHome) {
                    retire(request, failure, fd);
                    return;
                }
                request.complete(new Outcome(fd, failure, false));
            }
        }

        /** The next request, waited for parked (an interrupt is no request). */
        private Request takeUninterruptibly() {
            while (true) {
                Request request = queue.poll();
                if (request != null) {
                    return request;
                }
                LockSupport.park(this);
                Thread.interrupted(); // the creator ends only by retiring
            }
        }

        private boolean goHome(int home, NamespaceId homeId) {
            boolean fail = failNextHomecoming;
            failNextHomecoming = false;
            try {
                Syscalls.setns(home, NamespaceType.NET);
            } catch (RuntimeException e) {
                return false;
            }
            return !fail && homeId.equals(Syscalls.idOfOrNull(threadNet));
        }

        /** Ends this creator: the request it served gets its outcome, queued ones go to the next creator. */
        private void retire(@Nullable Request served, @Nullable Throwable failure, int fd) {
            List<Request> unserved = new ArrayList<>();
            synchronized (lock) {
                retired = true;
                for (Request request; (request = queue.poll()) != null; ) {
                    unserved.add(request);
                }
            }
            if (served != null) {
                served.complete(new Outcome(fd, failure, true));
            }
            for (Request request : unserved) {
                request.complete(new Outcome(-1, failure, true));
            }
        }
    }
}
