package dev.netns;

/**
 * Told about every callback a {@link NamespaceTemplate} ran, for metrics or tracing. Called on the
 * caller's thread (for {@code submit}, on the library thread that completes the future); keep it
 * quick and never throw. One that throws does not change the call's outcome: its first failure is
 * logged at WARN with the exception, later ones are only counted
 * ({@link NamespaceTemplate#listenerFailures()}).
 */
@FunctionalInterface
public interface ExecutionListener {

    /** One callback finished. */
    void executed(ExecutionEvent event);
}
