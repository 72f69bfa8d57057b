package dev.netns.internal;

import java.lang.ref.Cleaner;

/**
 * A {@link Cleaner} whose thread is started at home ({@link HomeThreads}): the first handle may be
 * opened by a thread inside another namespace (after {@code Netns.newNamespace()}), and a thread
 * it started would be born there and keep that namespace alive for good. A class of its own, so
 * the threads that start the cleaner run no code of a class still being initialised.
 */
final class HomeCleaner {

    private HomeCleaner() {
    }

    /** A cleaner with a daemon thread of that name, started at home where a thread at home can be had. */
    static Cleaner create(String threadName) {
        if (!Linux.isLinux() || HomeThreads.isAtHome()) {
            return createHere(threadName);
        }
        try {
            return Throwaway.call(threadName + "-start", () -> createHere(threadName));
        } catch (RuntimeException e) {
            return createHere(threadName); // no thread at home: a cleaner away from home beats none
        }
    }

    private static Cleaner createHere(String threadName) {
        return Cleaner.create(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }
}
