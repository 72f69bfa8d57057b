package dev.netns;

import java.util.concurrent.RejectedExecutionException;

/** A pinned executor retired (its threads idled out) between lookup and submit; ask for the current one. */
final class RetiredExecutorException extends RejectedExecutionException {

    private static final long serialVersionUID = 1L;

    RetiredExecutorException(String message) {
        super(message);
    }
}
