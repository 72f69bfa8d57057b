package dev.netns;

/**
 * Told about every callback a {@link NamespaceTemplate} ran, for metrics or tracing. Called on the
 * caller's thread (or the worker's, for {@code submit}); keep it quick and never throw.
 */
@FunctionalInterface
public interface ExecutionListener {

    /** One callback finished. */
    void executed(ExecutionEvent event);
}
