package dev.netns;

import java.util.Set;

/**
 * Turns a {@link NamespaceReference} into an open handle. Implementations serve one or more
 * schemes; the caller owns (and closes) the handle returned.
 */
public interface NamespaceResolver {

    /**
     * Opens the namespace a reference points to.
     *
     * @throws NamespaceNotFoundException when it does not exist
     * @throws AmbiguousNamespaceReferenceException when it matches more than one namespace
     * @throws NamespaceUnavailableException when what resolves it cannot be reached
     */
    NsHandle resolve(NamespaceReference reference);

    /** Parses and resolves a reference; see {@link NamespaceReference#parse}. */
    default NsHandle resolve(String reference) {
        return resolve(NamespaceReference.parse(reference));
    }

    /** The schemes this resolver serves ({@code "docker"}...). */
    Set<String> schemes();
}
