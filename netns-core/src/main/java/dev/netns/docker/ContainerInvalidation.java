package dev.netns.docker;

import dev.netns.NamespaceId;
import org.jspecify.annotations.Nullable;

/**
 * A container's network namespace is no longer the one a resolver handed out: the container
 * stopped, was removed, or its process is gone. Whatever is pinned to {@link #namespace()} for
 * that container (an executor, a cached handle) should be retired; resolving the container again
 * gives its current namespace, if it runs.
 *
 * @param containerId the container's full id
 * @param name the container's name without the leading {@code /}, or empty when unknown
 * @param namespace the namespace the resolver last handed out for it, or null when it had none cached
 * @param pid the container process the resolver last saw, or 0 when unknown
 * @param reason the engine's event ({@code die}, {@code destroy}) or {@code process-gone} when the
 *     resolver found the cached process gone without an event
 */
public record ContainerInvalidation(String containerId, String name, @Nullable NamespaceId namespace, int pid,
        String reason) {
}
