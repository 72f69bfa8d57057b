package dev.netns.spring.boot.autoconfigure;

/** A {@code netns.*} property has a value netns cannot use; analysed by {@link InvalidNetnsPropertyFailureAnalyzer}. */
public class InvalidNetnsPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;
    private final String reason;

    public InvalidNetnsPropertyException(String property, String value, String reason) {
        super("Invalid value '" + value + "' for " + property + ": " + reason);
        this.property = property;
        this.value = value;
        this.reason = reason;
    }

    public String getProperty() {
        return property;
    }

    public String getValue() {
        return value;
    }

    public String getReason() {
        return reason;
    }
}
