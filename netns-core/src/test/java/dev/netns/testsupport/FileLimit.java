package dev.netns.testsupport;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * This JVM's open-file limit ({@code RLIMIT_NOFILE}), read and changed in place through
 * {@code getrlimit}/{@code setrlimit}: no child process, which would itself need fds while they
 * run out. Lowering only the soft limit keeps the hard one, so it can always be raised back.
 */
public final class FileLimit {

    private static final int RLIMIT_NOFILE = 7; // the same on x86-64 and arm64

    static {
        Native.register(FileLimit.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private FileLimit() {
    }

    private static native int getrlimit(int resource, long[] limit);

    private static native int setrlimit(int resource, long[] limit);

    /** The soft limit: an open that would need an fd number at or above it fails with EMFILE. */
    public static long soft() {
        return read()[0];
    }

    /** Sets the soft limit, keeping the hard one. */
    public static void setSoft(long soft) {
        long[] limit = read();
        limit[0] = soft;
        if (setrlimit(RLIMIT_NOFILE, limit) != 0) {
            throw new IllegalStateException("setrlimit(RLIMIT_NOFILE, " + soft + ") failed: errno " + Native.getLastError());
        }
    }

    private static long[] read() {
        long[] limit = new long[2]; // struct rlimit { rlim_t rlim_cur, rlim_max; }
        if (getrlimit(RLIMIT_NOFILE, limit) != 0) {
            throw new IllegalStateException("getrlimit(RLIMIT_NOFILE) failed: errno " + Native.getLastError());
        }
        return limit;
    }
}
