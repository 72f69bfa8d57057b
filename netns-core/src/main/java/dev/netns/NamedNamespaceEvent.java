package dev.netns;

import java.util.Objects;

/**
 * A named network namespace appeared in or disappeared from the run dir, as
 * {@link Netns#watchNamed} reports it: by this JVM, another process or {@code ip netns}.
 *
 * @param kind whether the name was added or deleted
 * @param name the name, a file name in the run dir
 */
public record NamedNamespaceEvent(Kind kind, String name) {

    /** What happened to a name. */
    public enum Kind {
        /** The name's file appeared in the run dir (its namespace is bind-mounted onto it a moment later). */
        ADDED,
        /** The name's file was removed from the run dir. */
        DELETED
    }

    public NamedNamespaceEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }
}
