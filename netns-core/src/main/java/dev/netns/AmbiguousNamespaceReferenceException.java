package dev.netns;

import org.jspecify.annotations.Nullable;

/** A reference matches more than one namespace (e.g. a container id prefix shared by several). */
public class AmbiguousNamespaceReferenceException extends NetnsException {

    private static final long serialVersionUID = 1L;

    /** A failure that did not come from a syscall. */
    public AmbiguousNamespaceReferenceException(String message) {
        super(message);
    }

    /** A failure that did not come from a syscall, with its cause. */
    public AmbiguousNamespaceReferenceException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** A failed syscall. */
    public AmbiguousNamespaceReferenceException(String message, int errno, @Nullable String errnoName) {
        super(message, errno, errnoName);
    }
}
