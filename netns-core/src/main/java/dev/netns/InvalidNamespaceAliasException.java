package dev.netns;

import org.jspecify.annotations.Nullable;

/**
 * An alias that cannot stand for a namespace reference: blank, {@code host} or {@code current} in
 * any case (keywords of references, which an alias would hide or be mistaken for), or standing for
 * a reference that does not parse. Thrown by {@link NamespaceAliases#of}, which every alias map
 * goes through ({@link NamespaceTemplate}'s constructor, the Spring Boot starter's properties),
 * before anything is created.
 */
public class InvalidNamespaceAliasException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String alias;
    private final @Nullable String reference;
    private final String reason;

    /**
     * @param alias the alias refused, as given
     * @param reference the reference it was to stand for, as given
     * @param reason what is wrong, a sentence that makes sense without the alias in front of it
     * @param cause what found it wrong (the reference parser), or {@code null}
     */
    public InvalidNamespaceAliasException(@Nullable String alias, @Nullable String reference, String reason,
            @Nullable Throwable cause) {
        super("Namespace alias '" + alias + "': " + reason, cause);
        this.alias = alias;
        this.reference = reference;
        this.reason = reason;
    }

    /** The alias refused, as given. */
    public @Nullable String alias() {
        return alias;
    }

    /** The reference the alias was to stand for, as given. */
    public @Nullable String reference() {
        return reference;
    }

    /** What is wrong with the alias or its reference. */
    public String reason() {
        return reason;
    }
}
