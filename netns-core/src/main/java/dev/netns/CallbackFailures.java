package dev.netns;

import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How what a callback or the wait for it threw reaches the caller, in one place: runtime
 * exceptions and errors unchanged; checked exceptions wrapped in
 * {@link NamespaceExecutionException} naming the namespace; an interrupted wait as
 * {@link NamespaceExecutionException} (the caller's interrupt flag set again); a time limit reached
 * as {@link NamespaceTimeoutException}.
 */
final class CallbackFailures {

    private CallbackFailures() {
    }

    /** What a caller gets for a callback's failure: runtime exceptions and errors as they are, checked ones wrapped. */
    static Throwable wrapChecked(@Nullable Throwable cause, PinnedExecutor executor) {
        if (cause instanceof RuntimeException || cause instanceof Error) {
            return cause;
        }
        return new NamespaceExecutionException("Callback in namespace " + executor.label() + " (" + executor.id()
                + ") failed: " + cause, cause);
    }

    /** Throws an error from a callback; returns any other failure, as {@link #wrapChecked}, for the caller to throw. */
    static RuntimeException rethrow(@Nullable Throwable cause, PinnedExecutor executor) {
        Throwable wrapped = wrapChecked(cause, executor);
        if (wrapped instanceof Error error) {
            throw error;
        }
        return (RuntimeException) wrapped;
    }

    /** Calls a callback on this thread, its checked exception wrapped as {@link #wrapChecked}. */
    static <T> T callHere(PinnedExecutor executor, NamespaceCallback<T> callback) {
        try {
            return callback.doInNamespace(executor.handle());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw rethrow(e, executor);
        }
    }

    /** The caller was interrupted while it waited; the task is cancelled, the interrupt flag set again. */
    static NamespaceExecutionException interrupted(PinnedExecutor executor, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new NamespaceExecutionException("Interrupted while waiting for a task in namespace " + executor.label()
                + "; the task was cancelled", e);
    }

    /**
     * The callback ran past its time limit.
     *
     * @param what what was done about it, a clause ({@code "it was cancelled and its thread interrupted"})
     */
    static NamespaceTimeoutException timedOut(PinnedExecutor executor, long limitNanos, String what, @Nullable Throwable cause) {
        return new NamespaceTimeoutException("The callback in namespace " + executor.label() + " (" + executor.id()
                + ") did not finish within " + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms; " + what, cause);
    }
}
