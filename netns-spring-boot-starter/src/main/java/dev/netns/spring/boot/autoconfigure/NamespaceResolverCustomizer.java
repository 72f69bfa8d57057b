package dev.netns.spring.boot.autoconfigure;

import dev.netns.NamespaceResolver;
import java.util.List;

/**
 * Adjusts the extra resolvers (every {@link NamespaceResolver} bean, such as the Docker one) the
 * auto-configured {@link dev.netns.DefaultNamespaceResolver} delegates to: add, remove or reorder.
 */
@FunctionalInterface
public interface NamespaceResolverCustomizer {

    void customize(List<NamespaceResolver> extraResolvers);
}
