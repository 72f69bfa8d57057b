package dev.netns.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaps the children {@link ProcessSpawner} starts: one daemon thread for all of them
 * ({@code netns-process-reaper}), started at home ({@link HomeThreads}) on first use, that polls
 * their pidfds and an eventfd for new ones. Registering a child starts no thread, so a child can be
 * registered from a thread inside a namespace without leaving anything there, unlike the JDK's
 * reaper pool, whose threads are born in the namespace of the thread that calls
 * {@code ProcessBuilder.start} when none is idle.
 */
final class ChildReaper {

    private static final Logger log = LoggerFactory.getLogger(ChildReaper.class);
    private static final ChildReaper INSTANCE = new ChildReaper();

    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final short POLLIN = 0x1;
    private static final int POLLFD_SIZE = 8;

    private final ConcurrentLinkedQueue<SpawnedProcess> registered = new ConcurrentLinkedQueue<>();
    private int wakeFd = -1;
    private boolean started;

    private ChildReaper() {
    }

    static ChildReaper instance() {
        return INSTANCE;
    }

    /** Reaps the child once it exits; its pidfd is closed then. */
    void register(SpawnedProcess process) {
        registered.add(process);
        synchronized (this) {
            if (!started) {
                start();
            }
        }
        wake();
    }

    private void start() {
        int fd = WatchLibC.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd < 0) {
            throw Errno.failure("eventfd", "EFD_CLOEXEC|EFD_NONBLOCK", Native.getLastError(), "Cannot start the process reaper");
        }
        Thread thread = new Thread(this::run, "netns-process-reaper");
        thread.setDaemon(true);
        try {
            HomeThreads.start(thread);
        } catch (RuntimeException | Error e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
        wakeFd = fd;
        started = true;
    }

    private void wake() {
        int fd;
        synchronized (this) {
            fd = wakeFd;
        }
        WatchLibC.write(fd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8); // the reaper never closes it
    }

    private void run() {
        int fd;
        synchronized (this) {
            fd = wakeFd;
        }
        List<SpawnedProcess> children = new ArrayList<>();
        ByteBuffer counter = ByteBuffer.allocateDirect(8);
        while (true) {
            try {
                for (SpawnedProcess child; (child = registered.poll()) != null; ) {
                    children.add(child);
                }
                try (Memory pollFds = new Memory((long) POLLFD_SIZE * (children.size() + 1))) {
                    pollFds.clear();
                    pollFds.setInt(0, fd);
                    pollFds.setShort(4, POLLIN);
                    for (int i = 0; i < children.size(); i++) {
                        pollFds.setInt((long) POLLFD_SIZE * (i + 1), children.get(i).pidfd());
                        pollFds.setShort((long) POLLFD_SIZE * (i + 1) + 4, POLLIN);
                    }
                    if (WatchLibC.poll(pollFds, children.size() + 1, -1) < 0) {
                        int errno = Native.getLastError();
                        if (errno != Errno.EINTR) {
                            throw Errno.failure("poll", children.size() + " pidfds", errno, "Reaping child processes");
                        }
                        continue;
                    }
                    if (pollFds.getShort(6) != 0) {
                        WatchLibC.read(fd, counter, 8); // resets the counter
                    }
                    for (int i = children.size() - 1; i >= 0; i--) {
                        if (pollFds.getShort((long) POLLFD_SIZE * (i + 1) + 6) != 0 && children.get(i).reapIfExited()) {
                            children.remove(i);
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                log.error("Reaping child processes failed; retrying", e);
                LockSupport.parkNanos(100_000_000L);
            }
        }
    }
}
