package dev.netns.internal;

import dev.netns.NamespaceType;
import dev.netns.NsHandle;
import org.jspecify.annotations.Nullable;

/**
 * Lets library code outside {@code dev.netns} open handles with a source of its own
 * ({@code docker:web}) while {@link NsHandle}'s factory stays package-private. {@link NsHandle}
 * installs the opener when its class is initialised.
 */
public final class HandleFactory {

    /** {@code NsHandle.open(path, source, expected, context)}. */
    @FunctionalInterface
    public interface Opener {
        NsHandle open(String path, String source, NamespaceType expected, @Nullable String context);
    }

    private static volatile @Nullable Opener opener;

    private HandleFactory() {
    }

    /** Called once, by {@link NsHandle}'s static initialiser. */
    public static void install(Opener installed) {
        opener = installed;
    }

    /**
     * Opens a namespace file as a handle whose {@link NsHandle#source()} is {@code source}.
     *
     * @see NsHandle
     */
    public static NsHandle open(String path, String source, NamespaceType expected, @Nullable String context) {
        Opener current = opener;
        if (current == null) {
            NsHandle.none(); // initialises NsHandle, which installs the opener
            current = opener;
        }
        if (current == null) {
            throw new IllegalStateException("NsHandle did not install its opener");
        }
        return current.open(path, source, expected, context);
    }
}
