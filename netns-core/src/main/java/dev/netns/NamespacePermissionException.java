package dev.netns;

import org.jspecify.annotations.Nullable;

/** The caller lacks the privilege (EPERM, EACCES): changing namespaces needs CAP_SYS_ADMIN. */
public class NamespacePermissionException extends NetnsException {

    private static final long serialVersionUID = 1L;

    /** A failure that did not come from a syscall. */
    public NamespacePermissionException(String message) {
        super(message);
    }

    /** A failure that did not come from a syscall, with its cause. */
    public NamespacePermissionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** A failed syscall. */
    public NamespacePermissionException(String message, int errno, @Nullable String errnoName) {
        super(message, errno, errnoName);
    }
}
