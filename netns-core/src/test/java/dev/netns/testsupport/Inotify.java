package dev.netns.testsupport;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Counts the opens of one file with inotify ({@code IN_OPEN}), which the kernel reports for every
 * open of the inode that reaches the file (its driver, for a device): a test's witness that
 * something was, or was not, opened.
 */
public final class Inotify implements AutoCloseable {

    private static final int IN_OPEN = 0x20;
    private static final int IN_NONBLOCK = 0x800;
    private static final int IN_CLOEXEC = 0x80000;
    private static final int EVENT_HEADER = 16; // wd, mask, cookie, len

    static {
        Native.register(Inotify.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private final int fd;
    private int opens;

    private Inotify(int fd) {
        this.fd = fd;
    }

    private static native int inotify_init1(int flags);

    private static native int inotify_add_watch(int fd, String path, int mask);

    private static native long read(int fd, byte[] buffer, long count);

    private static native int close(int fd);

    /** Starts counting the opens of a file. */
    public static Inotify watchOpens(Path file) {
        int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("inotify_init1 failed: errno " + Native.getLastError());
        }
        if (inotify_add_watch(fd, file.toString(), IN_OPEN) < 0) {
            int errno = Native.getLastError();
            close(fd);
            throw new IllegalStateException("inotify_add_watch(" + file + ") failed: errno " + errno);
        }
        return new Inotify(fd);
    }

    /** The opens seen since the watch began. */
    public int opens() {
        byte[] buffer = new byte[4096];
        long length;
        while ((length = read(fd, buffer, buffer.length)) > 0) {
            ByteBuffer events = ByteBuffer.wrap(buffer, 0, (int) length).order(ByteOrder.nativeOrder());
            while (events.remaining() >= EVENT_HEADER) {
                int start = events.position();
                int mask = events.getInt(start + 4);
                int nameLength = events.getInt(start + 12);
                if ((mask & IN_OPEN) != 0) {
                    opens++;
                }
                events.position(start + EVENT_HEADER + nameLength);
            }
        }
        return opens;
    }

    @Override
    public void close() {
        close(fd);
    }
}
