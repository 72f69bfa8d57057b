package dev.netns.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The OS thread ids of the library's pinned namespace workers, so they are not flagged as strays. */
public final class PinnedThreads {

    private static final Set<Integer> TIDS = ConcurrentHashMap.newKeySet();

    private PinnedThreads() {
    }

    public static void add(int tid) {
        TIDS.add(tid);
    }

    public static void remove(int tid) {
        TIDS.remove(tid);
    }

    public static boolean contains(int tid) {
        return TIDS.contains(tid);
    }
}
