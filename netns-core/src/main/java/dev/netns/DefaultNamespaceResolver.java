package dev.netns;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves {@code name}, {@code path}, {@code pid}, {@code thread}, {@code host} and
 * {@code current} references itself, through its {@link NetnsRuntime} (names in its run dir,
 * handles in its {@link NetnsRuntime#openHandles()}), and every other scheme (such as
 * {@code docker}) through the extra resolvers that serve it.
 */
public class DefaultNamespaceResolver implements NamespaceResolver {

    private static final Set<String> OWN_SCHEMES = Set.of("name", "path", "pid", "thread", "host", "current");

    private final NetnsRuntime runtime;
    private final Map<String, NamespaceResolver> extra = new LinkedHashMap<>();

    /** A resolver for the built-in schemes only, in the {@linkplain NetnsRuntime#defaultRuntime() default runtime}. */
    public DefaultNamespaceResolver() {
        this(NetnsRuntime.defaultRuntime(), List.of());
    }

    /**
     * A resolver for the built-in schemes plus those served by {@code extra} (the first one per
     * scheme wins), in the {@linkplain NetnsRuntime#defaultRuntime() default runtime}.
     */
    public DefaultNamespaceResolver(Collection<? extends NamespaceResolver> extra) {
        this(NetnsRuntime.defaultRuntime(), extra);
    }

    /** A resolver for the built-in schemes only, in the given runtime. */
    public DefaultNamespaceResolver(NetnsRuntime runtime) {
        this(runtime, List.of());
    }

    /**
     * A resolver for the built-in schemes, in the given runtime, plus those served by {@code extra}
     * (the first one per scheme wins).
     */
    public DefaultNamespaceResolver(NetnsRuntime runtime, Collection<? extends NamespaceResolver> extra) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
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
                return runtime.fromName(reference.value());
            case "path":
                return runtime.fromPath(reference.value());
            case "pid":
                return runtime.fromPid(reference.pid());
            case "thread":
                return runtime.fromThread(reference.pid(), reference.tid());
            case "host":
                return runtime.host();
            case "current":
                return runtime.current(NamespaceType.NET);
            default:
                NamespaceResolver resolver = extra.get(reference.scheme());
                if (resolver == null) {
                    throw new NamespaceUnavailableException("No resolver for '" + reference + "': scheme '"
                            + reference.scheme() + "' is not served here"
                            + (reference.scheme().equals("docker")
                                    ? " (docker: references need docker-java, com.github.docker-java:docker-java-core and"
                                            + " docker-java-transport-zerodep, and a DockerNamespaceResolver among this resolver's"
                                            + " extra resolvers; the Spring Boot starter adds one unless netns.docker.enabled=false)"
                                    : ""));
                }
                return resolver.resolve(reference);
        }
    }

    /** The runtime names and handles are resolved in. */
    public NetnsRuntime runtime() {
        return runtime;
    }

    @Override
    public Set<String> schemes() {
        Set<String> schemes = new TreeSet<>(OWN_SCHEMES);
        schemes.addAll(extra.keySet());
        return schemes;
    }
}
