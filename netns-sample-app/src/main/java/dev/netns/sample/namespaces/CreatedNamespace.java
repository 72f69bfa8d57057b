package dev.netns.sample.namespaces;

import org.jspecify.annotations.Nullable;

/**
 * A namespace the sample created.
 *
 * @param name its name
 * @param reference {@code name:NAME}
 * @param namespace its id, {@code dev:ino}
 * @param hostInterface the host end of its veth pair, or {@code null} without one
 * @param namespaceInterface the end inside it, or {@code null} without one
 */
public record CreatedNamespace(String name, String reference, String namespace, @Nullable String hostInterface,
        @Nullable String namespaceInterface) {
}
