package dev.netns;

import org.jspecify.annotations.Nullable;

/**
 * A callback a {@link NamespaceTemplate} ran.
 *
 * @param alias the alias it was called with, or {@code null} when called with a reference or handle
 * @param durationNanos from the call to the result, waiting included
 * @param failure what it threw, or {@code null}
 */
public record ExecutionEvent(@Nullable String alias, long durationNanos, @Nullable Throwable failure) {
}
