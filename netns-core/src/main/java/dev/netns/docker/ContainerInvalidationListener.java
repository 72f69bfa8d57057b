package dev.netns.docker;

/**
 * Told when a container's namespace stops being valid; see {@link ContainerInvalidation}. Called
 * on the resolver's event thread or on a resolving thread: return quickly and do not throw (what
 * a listener throws is logged and ignored). The same container may be reported more than once
 * ({@code die}, then {@code destroy}).
 */
@FunctionalInterface
public interface ContainerInvalidationListener {

    void invalidated(ContainerInvalidation invalidation);
}
