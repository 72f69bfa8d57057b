package dev.netns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolvers of one runtime for schemes served by a {@link NamespaceResolverProvider}
 * ({@code docker}), made on first use and closed with the runtime. The providers are looked up
 * once per class loader, on first use.
 */
final class ProvidedResolvers {

    private static final Logger log = LoggerFactory.getLogger(ProvidedResolvers.class);

    private final NetnsRuntime runtime;
    private final Map<String, NamespaceResolver> made = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    ProvidedResolvers(NetnsRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Resolves a reference through this runtime's resolver of its scheme, made now if it is the first.
     *
     * @throws NamespaceUnavailableException when no provider serves the scheme, or its provider
     *     cannot make a resolver (a library is missing: the message names it)
     * @throws IllegalStateException once closed
     */
    NsHandle resolve(NamespaceReference reference) {
        return resolverOf(reference).resolve(reference);
    }

    private synchronized NamespaceResolver resolverOf(NamespaceReference reference) {
        if (closed) {
            throw new IllegalStateException("Cannot resolve '" + reference + "': " + runtime + " is closed");
        }
        NamespaceResolver resolver = made.get(reference.scheme());
        if (resolver != null) {
            return resolver;
        }
        NamespaceResolverProvider provider = Providers.of(reference.scheme());
        if (provider == null) {
            throw new NamespaceUnavailableException("Cannot resolve '" + reference + "': no NamespaceResolverProvider on the"
                    + " class path serves scheme '" + reference.scheme() + "'");
        }
        try {
            resolver = provider.create(runtime);
        } catch (NamespaceUnavailableException e) {
            throw new NamespaceUnavailableException("Cannot resolve '" + reference + "': " + e.getMessage(), e);
        }
        made.put(reference.scheme(), resolver);
        return resolver;
    }

    /** Closes the resolvers made so far; later lookups fail. */
    void close() {
        List<NamespaceResolver> resolvers;
        synchronized (this) {
            closed = true;
            resolvers = new ArrayList<>(made.values());
            made.clear();
        }
        for (NamespaceResolver resolver : resolvers) {
            if (resolver instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("Closing the {} resolver of {} failed", resolver.schemes(), runtime, e);
                }
            }
        }
    }

    /**
     * The providers found on the class path (or module path) of this library, loaded once, by
     * scheme: the first found serves it. A provider that cannot be made, or does not say its
     * scheme, is logged and left out; it takes no other provider down with it.
     */
    private static final class Providers {

        static final Map<String, NamespaceResolverProvider> BY_SCHEME = load();

        static @Nullable NamespaceResolverProvider of(String scheme) {
            return BY_SCHEME.get(scheme);
        }

        private static Map<String, NamespaceResolverProvider> load() {
            Map<String, NamespaceResolverProvider> providers = new LinkedHashMap<>();
            Iterator<NamespaceResolverProvider> found = ServiceLoader.load(NamespaceResolverProvider.class,
                    NamespaceResolverProvider.class.getClassLoader()).iterator();
            try {
                while (found.hasNext()) {
                    try {
                        NamespaceResolverProvider provider = found.next();
                        String scheme = schemeOf(provider);
                        if (scheme != null) {
                            providers.putIfAbsent(scheme, provider);
                        }
                    } catch (ServiceConfigurationError e) {
                        log.warn("A NamespaceResolverProvider could not be loaded; its scheme is not served", e);
                    }
                }
            } catch (ServiceConfigurationError e) {
                log.warn("Looking for NamespaceResolverProviders failed; the schemes of those not found are not served", e);
            }
            return Map.copyOf(providers);
        }

        private static @Nullable String schemeOf(NamespaceResolverProvider provider) {
            try {
                String scheme = provider.scheme();
                if (scheme == null || scheme.isBlank()) {
                    log.warn("NamespaceResolverProvider {} names no scheme; it is left out", provider.getClass().getName());
                    return null;
                }
                return scheme;
            } catch (RuntimeException e) {
                log.warn("NamespaceResolverProvider {} failed to name its scheme; it is left out", provider.getClass().getName(), e);
                return null;
            }
        }
    }
}
