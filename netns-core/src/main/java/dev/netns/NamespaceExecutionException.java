package dev.netns;

/**
 * A callback run inside a namespace threw a checked exception; it is the cause. Runtime exceptions
 * and errors from callbacks arrive unchanged.
 */
public class NamespaceExecutionException extends NetnsException {

    private static final long serialVersionUID = 1L;

    /** Wraps the checked exception a callback threw. */
    public NamespaceExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
