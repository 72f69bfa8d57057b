package dev.netns.sample.api;

/** A reference of a scheme the API does not serve (see {@link ReferencePolicy}). */
public class ReferenceNotAllowedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReferenceNotAllowedException(String message) {
        super(message);
    }
}
