package dev.netns.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * An inotify instance with an eventfd to wake the thread waiting on it: the fd plumbing of
 * {@link RunDirWatch}. {@link #await()}, {@link #read} and the watch calls belong to one thread;
 * {@link #wake()} and {@link #close()} may come from any.
 */
final class Inotify implements AutoCloseable {

    static final int IN_MOVED_FROM = 0x40;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_CREATE = 0x100;
    static final int IN_DELETE = 0x200;
    static final int IN_DELETE_SELF = 0x400;
    static final int IN_MOVE_SELF = 0x800;
    static final int IN_UNMOUNT = 0x2000;
    static final int IN_Q_OVERFLOW = 0x4000;
    static final int IN_IGNORED = 0x8000;
    static final int IN_ONLYDIR = 0x1000000;

    private static final int IN_NONBLOCK = 0x800;
    private static final int IN_CLOEXEC = 0x80000;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final short POLLIN = 0x1;
    private static final int EVENT_HEADER = 16; // struct inotify_event: int wd, u32 mask, u32 cookie, u32 len

    /** One inotify event. */
    @FunctionalInterface
    interface EventHandler {

        /**
         * @param name the file name in the watched directory as {@link NameCodec#decode} reads its bytes
         *     (as the run dir's listing names it), or "" for an event on the directory itself
         */
        void event(int wd, int mask, String name);
    }

    private final int fd;
    private final int wakeFd;
    private final String context;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
    private boolean released;

    private Inotify(int fd, int wakeFd, String context) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.context = context;
    }

    /** A non-blocking, close-on-exec inotify instance and its wake-up eventfd. */
    static Inotify open(String context) {
        Linux.require();
        int fd = WatchLibC.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            throw Errno.failure("inotify_init1", "IN_NONBLOCK|IN_CLOEXEC", Native.getLastError(), context);
        }
        int wakeFd = WatchLibC.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wakeFd < 0) {
            int errno = Native.getLastError();
            Syscalls.closeQuietly(fd);
            throw Errno.failure("eventfd", "EFD_CLOEXEC|EFD_NONBLOCK", errno, context);
        }
        return new Inotify(fd, wakeFd, context);
    }

    /** Watches a directory; -1 when it is gone or no longer a directory (ENOENT, ENOTDIR). */
    int addWatch(Path dir, int mask) {
        int wd = WatchLibC.inotify_add_watch(fd, dir.toString(), mask);
        if (wd < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.ENOENT || errno == Errno.ENOTDIR) {
                return -1;
            }
            throw Errno.failure("inotify_add_watch", dir.toString(), errno, context);
        }
        return wd;
    }

    /** Stops a watch; one the kernel dropped already (its directory removed) is fine. */
    void removeWatch(int wd) {
        WatchLibC.inotify_rm_watch(fd, wd);
    }

    /** Waits until events can be read (true) or {@link #wake()} was called (false). */
    boolean await() {
        try (Memory pollFds = new Memory(16)) {
            pollFds.clear();
            pollFds.setInt(0, fd);
            pollFds.setShort(4, POLLIN);
            pollFds.setInt(8, wakeFd);
            pollFds.setShort(12, POLLIN);
            while (WatchLibC.poll(pollFds, 2, -1) < 0) {
                int errno = Native.getLastError();
                if (errno != Errno.EINTR) {
                    throw Errno.failure("poll", "inotify fd=" + fd, errno, context);
                }
            }
            return pollFds.getShort(14) == 0;
        }
    }

    /** Reads one batch of events and hands each to the handler; false when there was none to read. */
    boolean read(EventHandler handler) {
        long length;
        while ((length = WatchLibC.read(fd, buffer, buffer.capacity())) < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return false;
            }
            if (errno != Errno.EINTR) {
                throw Errno.failure("read", "inotify fd=" + fd, errno, context);
            }
        }
        for (int offset = 0; offset + EVENT_HEADER <= length; ) {
            int nameLength = buffer.getInt(offset + 12);
            handler.event(buffer.getInt(offset), buffer.getInt(offset + 4), name(offset + EVENT_HEADER, nameLength));
            offset += EVENT_HEADER + nameLength;
        }
        return true;
    }

    private String name(int offset, int length) {
        int end = offset;
        while (end < offset + length && buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        buffer.get(offset, bytes);
        return NameCodec.decode(bytes);
    }

    /** Makes {@link #await()} return false, now or at its next call. */
    synchronized void wake() {
        if (!released) { // the fd number may belong to someone else once released
            WatchLibC.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8); // any non-zero 8-byte increment
        }
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            Syscalls.closeQuietly(fd);
            Syscalls.closeQuietly(wakeFd);
        }
    }
}
