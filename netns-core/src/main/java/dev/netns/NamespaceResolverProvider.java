package dev.netns;

/**
 * A service that makes resolvers for a reference scheme that {@code dev.netns} does not serve
 * itself, found with {@link java.util.ServiceLoader}: listed in
 * {@code META-INF/services/dev.netns.NamespaceResolverProvider}, and in a module's
 * {@code provides dev.netns.NamespaceResolverProvider with ...}. netns-core's Docker support
 * ({@code docker:}) is one; it is how {@link Netns#fromDocker} finds it without {@code dev.netns}
 * depending on it.
 *
 * <p>A provider is instantiated whether or not what its resolvers need is on the class path, so it
 * must not link to optional libraries before {@link #create} has checked they are there. Each
 * {@link NetnsRuntime} asks it for a resolver at most once, on first use of its scheme, and closes
 * that resolver (when it is {@link AutoCloseable}) when the runtime is closed.
 */
public interface NamespaceResolverProvider {

    /** The scheme its resolvers serve, lower case ({@code docker}). */
    String scheme();

    /**
     * A resolver for {@link #scheme()} whose handles are opened through the runtime
     * ({@link NetnsRuntime#open(String, String)}), so they show in its {@link NetnsRuntime#openHandles()}.
     *
     * @throws NamespaceUnavailableException when a library it needs is missing: the message names
     *     what to add; nothing is remembered, so a later call tries again
     */
    NamespaceResolver create(NetnsRuntime runtime);
}
