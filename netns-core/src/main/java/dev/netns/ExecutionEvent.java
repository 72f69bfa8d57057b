package dev.netns;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A callback a {@link NamespaceTemplate} ran.
 *
 * @param alias the alias it was called with, or {@code null} when called with a reference or handle
 * @param referenceKind what kind of reference named the namespace: the scheme of the reference
 *     (or of the one the alias stands for: {@code name}, {@code docker}, {@code pid}, {@code thread},
 *     {@code path}, {@code host}, {@code current} or an extra resolver's), or {@link #HANDLE} when
 *     called with a handle
 * @param durationNanos from the call to the result, waiting included
 * @param failure what it threw, or {@code null}
 */
public record ExecutionEvent(@Nullable String alias, String referenceKind, long durationNanos, @Nullable Throwable failure) {

    /** The {@link #referenceKind()} of a call made with an {@link NsHandle}. */
    public static final String HANDLE = "handle";

    /** The {@link #referenceKind()} of an event made without one. */
    public static final String UNKNOWN = "unknown";

    public ExecutionEvent {
        Objects.requireNonNull(referenceKind, "referenceKind");
    }

    /** An event without its reference kind ({@link #UNKNOWN}). */
    public ExecutionEvent(@Nullable String alias, long durationNanos, @Nullable Throwable failure) {
        this(alias, UNKNOWN, durationNanos, failure);
    }
}
