package dev.netns;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves {@code name}, {@code path}, {@code pid}, {@code thread}, {@code host} and
 * {@code current} references itself, and every other scheme (such as {@code docker}) through the
 * extra resolvers that serve it.
 */
public class DefaultNamespaceResolver implements NamespaceResolver {

    private static final Set<String> OWN_SCHEMES = Set.of("name", "path", "pid", "thread", "host", "current");

    private final Map<String, NamespaceResolver> extra = new LinkedHashMap<>();

    /** A resolver for the built-in schemes only. */
    public DefaultNamespaceResolver() {
        this(List.of());
    }

    /** A resolver for the built-in schemes plus those served by {@code extra} (the first one per scheme wins). */
    public DefaultNamespaceResolver(Collection<? extends NamespaceResolver> extra) {
        for (NamespaceResolver resolver : extra) {
            for (String scheme : resolver.schemes()) {
                if (!OWN_SCHEMES.contains(scheme)) {
                    this.extra.putIfAbsent(scheme, resolver);
                }
            }
        }
    }

    @Override
    public NsHandle resolve(NamespaceReference reference) {
        switch (reference.scheme()) {
            case "name":
                return Netns.fromName(reference.value());
            case "path":
                return Netns.fromPath(reference.value());
            case "pid":
                return Netns.fromPid(reference.pid());
            case "thread":
                return Netns.fromThread(reference.pid(), reference.tid());
            case "host":
                return NsHandle.open(NamespaceFile.HOST, "host", NamespaceType.NET, "Cannot open this JVM's namespace");
            case "current":
                return Netns.get();
            default:
                NamespaceResolver resolver = extra.get(reference.scheme());
                if (resolver == null) {
                    throw new NamespaceUnavailableException("No resolver for '" + reference + "': scheme '"
                            + reference.scheme() + "' is not served here"
                            + (reference.scheme().equals("docker")
                                    ? " (add com.github.docker-java:docker-java-core and docker-java-transport-zerodep"
                                            + " and a DockerNamespaceResolver)"
                                    : ""));
                }
                return resolver.resolve(reference);
        }
    }

    @Override
    public Set<String> schemes() {
        Set<String> schemes = new TreeSet<>(OWN_SCHEMES);
        schemes.addAll(extra.keySet());
        return schemes;
    }
}
