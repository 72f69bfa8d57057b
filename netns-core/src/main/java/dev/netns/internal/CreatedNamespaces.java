package dev.netns.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The named-namespace files this JVM created, recorded only while tracking is on (test support
 * turns it on to tell a test's own leftovers from other processes' work in a shared run dir); off,
 * nothing is kept.
 */
public final class CreatedNamespaces {

    private static final List<Path> CREATED = new ArrayList<>();
    private static volatile boolean tracking;

    private CreatedNamespaces() {
    }

    /** Starts or stops recording. */
    public static void track(boolean on) {
        tracking = on;
    }

    /** Records a file this JVM just created, when tracking. */
    public static void created(Path file) {
        if (tracking) {
            synchronized (CREATED) {
                CREATED.add(file);
            }
        }
    }

    /** How many were recorded so far: a mark for {@link #since}. */
    public static int mark() {
        synchronized (CREATED) {
            return CREATED.size();
        }
    }

    /** The files recorded after a mark. */
    public static List<Path> since(int mark) {
        synchronized (CREATED) {
            return new ArrayList<>(CREATED.subList(Math.min(mark, CREATED.size()), CREATED.size()));
        }
    }
}
