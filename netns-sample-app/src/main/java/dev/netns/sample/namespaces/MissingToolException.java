package dev.netns.sample.namespaces;

/** A command the sample needs is not installed; the message says which package brings it. */
public class MissingToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MissingToolException(String message) {
        super(message);
    }
}
