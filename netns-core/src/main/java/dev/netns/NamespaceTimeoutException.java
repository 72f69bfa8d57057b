package dev.netns;

/**
 * A callback did not finish within the time limit given to
 * {@link NamespaceTemplate#execute(String, java.time.Duration, NamespaceCallback)}; it was
 * cancelled and its thread interrupted.
 */
public class NamespaceTimeoutException extends NamespaceExecutionException {

    private static final long serialVersionUID = 1L;

    public NamespaceTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
