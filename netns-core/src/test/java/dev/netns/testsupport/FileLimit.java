package dev.netns.testsupport;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.netns.NetnsException;
import dev.netns.internal.Errno;
import dev.netns.internal.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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

    /** The highest fd number open now (a soft limit just above it leaves room for a few opens only). */
    public static long highestFd() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.mapToLong(fd -> Long.parseLong(fd.getFileName().toString())).max().orElse(0);
        }
    }

    /** Opens {@code /dev/null} until the limit is reached (EMFILE), adding each fd to {@code fillers}, for the caller to close. */
    public static void fillFdTable(List<Integer> fillers) {
        while (true) {
            try {
                fillers.add(Syscalls.open("/dev/null", Syscalls.O_RDONLY, 0, null));
            } catch (NetnsException e) {
                if (e.errno() != Errno.EMFILE) {
                    throw e;
                }
                return;
            }
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
