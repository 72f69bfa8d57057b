package dev.netns;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Names that stand for namespace references ({@code backend -> docker:api-1}), usable wherever a
 * reference is. This is the one place aliases are checked: an alias must not be blank nor
 * {@code host} or {@code current} in any case (keywords of references), and its reference must
 * parse ({@link NamespaceReference#parse}). {@link NamespaceTemplate} and the Spring Boot starter's
 * {@code netns.namespaces} both go through {@link #of}.
 */
public final class NamespaceAliases {

    private final Map<String, NamespaceReference> references;

    /** @param references a map that takes {@code null} lookups (any text may be looked up) */
    private NamespaceAliases(Map<String, NamespaceReference> references) {
        this.references = Collections.unmodifiableMap(references);
    }

    /**
     * Checks and parses aliases, keeping their order.
     *
     * @param aliases each alias with the reference it stands for
     * @throws InvalidNamespaceAliasException naming the first alias that is blank, a keyword in any
     *     case, or stands for a reference that does not parse
     */
    public static NamespaceAliases of(Map<String, String> aliases) {
        Map<String, NamespaceReference> parsed = new LinkedHashMap<>();
        aliases.forEach((alias, reference) -> parsed.put(checkedAlias(alias, reference), parsedReference(alias, reference)));
        return new NamespaceAliases(parsed);
    }

    private static String checkedAlias(@Nullable String alias, @Nullable String reference) {
        if (alias == null || alias.isBlank()) {
            throw new InvalidNamespaceAliasException(alias, reference, "an alias must not be blank", null);
        }
        if (NamespaceReference.isKeywordInAnyCase(alias)) {
            throw new InvalidNamespaceAliasException(alias, reference, "'" + alias + "' cannot be an alias: 'host' and"
                    + " 'current' (in any case) are keywords of references, which an alias would hide or be mistaken for", null);
        }
        return alias;
    }

    private static NamespaceReference parsedReference(String alias, @Nullable String reference) {
        try {
            return NamespaceReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new InvalidNamespaceAliasException(alias, reference, e.getMessage(), e);
        }
    }

    /** Each alias with the reference it stands for, in the order given; unmodifiable. */
    public Map<String, NamespaceReference> asMap() {
        return references;
    }

    /**
     * The reference an alias stands for, or, for anything else, the text parsed as a reference.
     *
     * @throws IllegalArgumentException when the text is neither an alias nor a valid reference
     */
    public NamespaceReference referenceOf(String aliasOrReference) {
        NamespaceReference aliased = references.get(aliasOrReference);
        return aliased != null ? aliased : NamespaceReference.parse(aliasOrReference);
    }

    /** Whether the text is one of these aliases (exactly so: aliases are case-sensitive). */
    public boolean isAlias(String text) {
        return references.containsKey(text);
    }

    @Override
    public String toString() {
        return references.toString();
    }
}
