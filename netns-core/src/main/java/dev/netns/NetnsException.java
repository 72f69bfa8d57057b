package dev.netns;

import org.jspecify.annotations.Nullable;

/**
 * A namespace operation failed. When a syscall failed, {@link #errno()} and {@link #errnoName()}
 * say how, and the message names the syscall and its argument:
 * {@code setns(fd=12, CLONE_NEWNET) failed: EPERM (Operation not permitted); ...}.
 */
public class NetnsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int errno;
    private final @Nullable String errnoName;

    /** A failure that did not come from a syscall. */
    public NetnsException(String message) {
        this(message, 0, null, null);
    }

    /** A failure that did not come from a syscall, with its cause. */
    public NetnsException(String message, @Nullable Throwable cause) {
        this(message, 0, null, cause);
    }

    /** A failed syscall. */
    public NetnsException(String message, int errno, @Nullable String errnoName) {
        this(message, errno, errnoName, null);
    }

    /** A failed syscall, with a cause. */
    public NetnsException(String message, int errno, @Nullable String errnoName, @Nullable Throwable cause) {
        super(message, cause);
        this.errno = errno;
        this.errnoName = errnoName;
    }

    /** The errno of the failed syscall, or 0 when no syscall failed. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name ({@code "EPERM"}), or {@code null} when no syscall failed. */
    public @Nullable String errnoName() {
        return errnoName;
    }
}
