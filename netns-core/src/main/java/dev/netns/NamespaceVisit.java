package dev.netns;

import dev.netns.internal.Throwaway;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One look inside a network namespace without a pinned executor: a short-lived library thread
 * (started at home) switches in, runs the look, and switches back before it ends; if it cannot
 * switch back it ends anyway, so nothing stays inside and nothing is kept.
 */
final class NamespaceVisit {

    private NamespaceVisit() {
    }

    /**
     * Runs {@code look} inside the handle's namespace on a thread named {@code threadName}.
     *
     * @throws IllegalArgumentException when the handle is closed or not a network namespace
     */
    static <T> T run(NsHandle ns, String threadName, Callable<T> look) {
        Objects.requireNonNull(ns, "ns");
        if (!ns.isOpen()) {
            throw new IllegalArgumentException("The handle " + ns + " is closed");
        }
        if (ns.type() != NamespaceType.NET) {
            throw new IllegalArgumentException("The handle " + ns + " is a " + ns.type() + " namespace, not a network one");
        }
        return Throwaway.call(threadName, () -> {
            try (NsHandle home = Netns.get()) {
                Netns.set(ns);
                try {
                    return look.call();
                } finally {
                    Netns.set(home);
                }
            }
        });
    }
}
