package dev.netns.spring.boot.actuate;

/** A reference whose scheme a {@link ReferenceSchemePolicy} does not allow; nothing was opened for it. */
public class ReferenceSchemeNotAllowedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String scheme;

    public ReferenceSchemeNotAllowedException(String scheme, String message) {
        super(message);
        this.scheme = scheme;
    }

    /** The refused scheme, such as {@code path}. */
    public String scheme() {
        return scheme;
    }
}
