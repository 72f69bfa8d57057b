package dev.netns.spring.boot.actuate;

import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which namespace references a caller from outside may have looked at: the configured aliases
 * always (the operator chose them), any other reference only when its scheme is allowed. The
 * {@code netns} endpoint's detail ({@code /actuator/netns/{reference}}) checks it before it opens
 * anything; an application may check its own HTTP inputs with it too. {@code path:}, {@code pid:}
 * and {@code thread:} make the application, often root, open any file or reach any process's
 * namespace for whoever sent the request, so the defaults ({@link #DEFAULT_SCHEMES}) leave them out.
 */
public final class ReferenceSchemePolicy {

    /** The schemes allowed unless configured otherwise: {@code name}, {@code docker}, {@code host}. */
    public static final List<String> DEFAULT_SCHEMES = List.of("name", "docker", "host");

    private final NamespaceTemplate template;
    private final Set<String> schemes;
    private final String property;

    /**
     * @param template the template whose aliases are always allowed and which parses references
     * @param schemes the allowed schemes, among {@link NamespaceReference#SCHEMES} (any case, blanks around ignored)
     * @param property the setting that lists the schemes, named in refusals so the operator knows what to change
     * @throws IllegalArgumentException for a scheme that does not exist, naming the property
     */
    public ReferenceSchemePolicy(NamespaceTemplate template, Collection<String> schemes, String property) {
        this.template = template;
        this.property = property;
        try {
            this.schemes = normalize(schemes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid " + property + ": " + e.getMessage(), e);
        }
    }

    /**
     * The schemes in lower case, blanks around removed, in the order given: the one check of a
     * configured scheme list.
     *
     * @throws IllegalArgumentException naming a scheme that does not exist (the message is the reason only)
     */
    public static Set<String> normalize(Collection<String> schemes) {
        Set<String> allowed = new LinkedHashSet<>();
        for (String scheme : schemes) {
            String normalized = scheme.strip().toLowerCase(Locale.ROOT);
            if (!NamespaceReference.SCHEMES.contains(normalized)) {
                throw new IllegalArgumentException("'" + scheme + "' is no reference scheme (schemes: "
                        + String.join(", ", new TreeSet<>(NamespaceReference.SCHEMES)) + ")");
            }
            allowed.add(normalized);
        }
        return Collections.unmodifiableSet(allowed);
    }

    /** The allowed schemes, in the order configured. */
    public Set<String> schemes() {
        return schemes;
    }

    /**
     * What an alias or reference stands for, when it may be served; parses it, opens nothing.
     *
     * @throws IllegalArgumentException for a malformed reference, saying why
     * @throws ReferenceSchemeNotAllowedException for a reference whose scheme is not allowed
     */
    public NamespaceReference check(String aliasOrReference) {
        NamespaceReference reference = template.referenceOf(aliasOrReference);
        if (!template.aliases().containsKey(aliasOrReference) && !schemes.contains(reference.scheme())) {
            throw new ReferenceSchemeNotAllowedException(reference.scheme(), "'" + reference.scheme()
                    + "' references are not served here, only " + (schemes.isEmpty() ? "" : String.join(", ", schemes) + " and ")
                    + "the configured aliases; the operator can add the scheme to " + property);
        }
        return reference;
    }
}
