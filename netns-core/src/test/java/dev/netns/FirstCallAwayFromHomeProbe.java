package dev.netns;

import java.util.List;

/**
 * Run in a child JVM: the very first call into the library is made by a thread that has just
 * entered a new network namespace of its own ({@link Netns#newNamespace()}), which then opens a
 * few handles. After that thread has ended, prints every thread of the JVM still outside the host
 * namespace, one per line as {@code stray NAME}, then {@code done}.
 */
final class FirstCallAwayFromHomeProbe {

    private FirstCallAwayFromHomeProbe() {
    }

    public static void main(String[] args) throws Exception {
        Thread away = new Thread(() -> {
            try (NsHandle own = Netns.newNamespace(); NsHandle current = Netns.get()) {
                if (!own.equals(current)) {
                    throw new IllegalStateException("not in the namespace it made");
                }
            }
        }, "away");
        away.start();
        away.join();
        List<ThreadNamespace> threads = Netns.threads();
        for (ThreadNamespace thread : threads) {
            if (!thread.host()) {
                System.out.println("stray " + thread.name());
            }
        }
        System.out.println("done");
    }
}
