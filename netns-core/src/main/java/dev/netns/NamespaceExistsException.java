package dev.netns;

import org.jspecify.annotations.Nullable;

/** A named namespace of that name already exists (EEXIST). */
public class NamespaceExistsException extends NetnsException {

    private static final long serialVersionUID = 1L;

    /** A failure that did not come from a syscall. */
    public NamespaceExistsException(String message) {
        super(message);
    }

    /** A failure that did not come from a syscall, with its cause. */
    public NamespaceExistsException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** A failed syscall. */
    public NamespaceExistsException(String message, int errno, @Nullable String errnoName) {
        super(message, errno, errnoName);
    }
}
