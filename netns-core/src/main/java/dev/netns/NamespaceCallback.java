package dev.netns;

/**
 * Code to run inside a namespace, on a thread that is in it.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface NamespaceCallback<T> {

    /**
     * Runs inside the namespace.
     *
     * @param ns a handle to the namespace the calling thread is in (do not close it)
     * @return the result handed back to the caller
     * @throws Exception anything; checked exceptions reach the caller wrapped in {@link NamespaceExecutionException}
     */
    T doInNamespace(NsHandle ns) throws Exception;
}
