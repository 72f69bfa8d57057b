package dev.netns.sample.api;

import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The references the API (and the Actuator's {@code /actuator/netns/{reference}} on the same port,
 * through {@link GuardedNetnsEndpointWebExtension}) serves: the configured aliases, and references whose scheme is in
 * {@code sample.api.reference-schemes} ({@code name}, {@code docker} and {@code host} by default).
 * {@code path:}, {@code pid:} and {@code thread:} would let any caller make this root process open
 * a file or another process's namespace, so they are off until the operator turns them on.
 */
public class ReferencePolicy {

    private final NamespaceTemplate template;
    private final Set<String> schemes;

    public ReferencePolicy(NamespaceTemplate template, Collection<String> schemes) {
        this.template = template;
        TreeSet<String> allowed = new TreeSet<>();
        schemes.forEach(scheme -> allowed.add(scheme.strip().toLowerCase(Locale.ROOT)));
        this.schemes = Set.copyOf(allowed);
    }

    /**
     * Returns the reference when the API may serve it.
     *
     * @throws IllegalArgumentException for a malformed reference
     * @throws ReferenceNotAllowedException for a scheme the API does not serve
     */
    public String check(String reference) {
        if (template.aliases().containsKey(reference)) {
            return reference;
        }
        NamespaceReference parsed = NamespaceReference.parse(reference);
        if (!schemes.contains(parsed.scheme())) {
            throw new ReferenceNotAllowedException("The API does not serve " + parsed.scheme() + ": references, only "
                    + String.join(", ", new TreeSet<>(schemes)) + " and the configured aliases; the operator can add the"
                    + " scheme to sample.api.reference-schemes");
        }
        return reference;
    }
}
