package dev.netns.internal;

import java.util.Locale;

/** Refuses, with a clear message, every operation on an operating system other than Linux. */
public final class Linux {

    private static final String OS_NAME = System.getProperty("os.name", "unknown");
    private static final boolean IS_LINUX = OS_NAME.toLowerCase(Locale.ROOT).startsWith("linux");

    private Linux() {
    }

    /** Whether this JVM runs on Linux. */
    public static boolean isLinux() {
        return IS_LINUX;
    }

    /**
     * Throws unless this is Linux.
     *
     * @throws UnsupportedOperationException on any other operating system
     */
    public static void require() {
        if (!IS_LINUX) {
            throw new UnsupportedOperationException(
                    "Network namespaces exist only on Linux; this JVM runs on " + OS_NAME);
        }
    }
}
