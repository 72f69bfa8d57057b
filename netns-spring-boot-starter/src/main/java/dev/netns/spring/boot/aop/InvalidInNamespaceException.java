package dev.netns.spring.boot.aop;

/**
 * An {@link InNamespace} value is neither a configured alias nor a valid namespace reference;
 * thrown at start-up, analysed by {@link InvalidInNamespaceFailureAnalyzer}.
 */
public class InvalidInNamespaceException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String annotated;
    private final String value;
    private final String reason;

    public InvalidInNamespaceException(String annotated, String value, String reason) {
        super("@InNamespace(\"" + value + "\") on " + annotated + " names no alias and no valid reference: " + reason);
        this.annotated = annotated;
        this.value = value;
        this.reason = reason;
    }

    /** The annotated method or class. */
    public String getAnnotated() {
        return annotated;
    }

    /** The annotation's value as written. */
    public String getValue() {
        return value;
    }

    /** Why it is not a valid reference. */
    public String getReason() {
        return reason;
    }
}
