package dev.netns;

import org.jspecify.annotations.Nullable;

/** The namespace asked for does not exist (ENOENT, ESRCH, a missing name, pid or container). */
public class NamespaceNotFoundException extends NetnsException {

    private static final long serialVersionUID = 1L;

    /** A failure that did not come from a syscall. */
    public NamespaceNotFoundException(String message) {
        super(message);
    }

    /** A failure that did not come from a syscall, with its cause. */
    public NamespaceNotFoundException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** A failed syscall. */
    public NamespaceNotFoundException(String message, int errno, @Nullable String errnoName) {
        super(message, errno, errnoName);
    }
}
