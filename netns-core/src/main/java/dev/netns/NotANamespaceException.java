package dev.netns;

/**
 * A file that was to be used as a namespace is not one, and was left untouched: a regular file, a
 * FIFO, a device, a socket, a directory, a symbolic link in the run dir, or a mount of another
 * filesystem. {@link #errno()} is {@code EINVAL} (what {@code setns} says of such a file), or
 * {@code ELOOP} for a symbolic link where none is followed.
 */
public class NotANamespaceException extends NetnsException {

    private static final long serialVersionUID = 1L;

    /** A file that is not a namespace, with the errno that says so. */
    public NotANamespaceException(String message, int errno, String errnoName) {
        super(message, errno, errnoName);
    }
}
