package dev.netns;

import org.jspecify.annotations.Nullable;

/** What resolves a reference cannot be reached now (e.g. the Docker daemon does not answer). */
public class NamespaceUnavailableException extends NetnsException {

    private static final long serialVersionUID = 1L;

    /** A failure that did not come from a syscall. */
    public NamespaceUnavailableException(String message) {
        super(message);
    }

    /** A failure that did not come from a syscall, with its cause. */
    public NamespaceUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** A failed syscall. */
    public NamespaceUnavailableException(String message, int errno, @Nullable String errnoName) {
        super(message, errno, errnoName);
    }
}
