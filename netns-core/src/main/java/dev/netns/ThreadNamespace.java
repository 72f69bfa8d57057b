package dev.netns;

import org.jspecify.annotations.Nullable;

/**
 * One OS thread of this JVM and the network namespace it is in, as {@link Netns#threads()} reports.
 *
 * @param tid the OS thread id
 * @param name the OS thread name ({@code /proc/self/task/TID/comm}, at most 15 characters)
 * @param netns its network namespace, or {@code null} if it could not be read
 * @param host whether that is this JVM's own namespace ({@code /proc/self/ns/net})
 * @param pinnedWorker whether the thread is a pinned namespace worker of this library
 */
public record ThreadNamespace(int tid, String name, @Nullable NamespaceId netns, boolean host, boolean pinnedWorker) {

    /** A thread outside the host namespace that is not a pinned worker: something moved it. */
    public boolean stray() {
        return !host && !pinnedWorker;
    }
}
