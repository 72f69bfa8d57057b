package dev.netns.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * Refuses thread-affecting calls from virtual threads: a setns there lands on the carrier thread
 * and leaks to every virtual thread mounted on it later. The baseline is Java 17, so
 * {@code Thread.isVirtual()} is looked up reflectively.
 */
public final class ThreadGuard {

    private static final @Nullable MethodHandle IS_VIRTUAL = lookupIsVirtual();

    private ThreadGuard() {
    }

    /**
     * @param operation what was attempted, for the message ({@code "Netns.set"})
     * @throws IllegalStateException on a virtual thread
     */
    public static void requirePlatformThread(String operation) {
        if (IS_VIRTUAL != null && isVirtual(Thread.currentThread())) {
            throw new IllegalStateException(operation + " changes the calling OS thread's namespace and is refused on a"
                    + " virtual thread: the change would land on its carrier thread and leak to other virtual threads."
                    + " Use NamespaceTemplate, which runs code on platform threads pinned to the namespace.");
        }
    }

    /** Whether a thread is virtual (always false before Java 21). */
    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed", e);
        }
    }

    private static @Nullable MethodHandle lookupIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}
