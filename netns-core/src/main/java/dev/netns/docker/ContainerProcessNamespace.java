package dev.netns.docker;

import dev.netns.NamespaceNotFoundException;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.internal.ProcFs;
import org.jspecify.annotations.Nullable;

/**
 * Opens the network namespace of a container's process ({@code /proc/PID/ns/net}), but only of
 * the process that was looked up: a pid is a name the kernel reuses, so the process's start time
 * is compared before and after the open. The one place this package opens handles, through the
 * resolver's {@link NetnsRuntime}.
 */
final class ContainerProcessNamespace {

    private ContainerProcessNamespace() {
    }

    /**
     * Opens the namespace of a container's process {@code pid} if it is still the process that
     * started at {@code startTime} (see {@link ProcFs#startTime}). The handle's
     * {@linkplain NsHandle#source() source} is {@code docker:NAME}, or {@code docker:ID} for a
     * container without a name.
     *
     * @param runtime the runtime the handle is opened through (and listed by)
     * @param name the container's name, or empty
     * @param context what is opened, for messages, or null
     * @return the handle, or null when that process is gone (ended, or its pid reused)
     */
    static @Nullable NsHandle open(NetnsRuntime runtime, int pid, long startTime, String containerId, String name, @Nullable String context) {
        String source = DockerNamespaceResolver.SCHEME + ":" + (name.isEmpty() ? containerId : name);
        NsHandle handle; // a process gone by now fails the open; the check after it rules out a reused pid
        try {
            handle = context != null ? runtime.open("/proc/" + pid + "/ns/net", source, context)
                    : runtime.open("/proc/" + pid + "/ns/net", source);
        } catch (NamespaceNotFoundException e) {
            return null;
        }
        if (ProcFs.startTime(pid) != startTime) {
            handle.close(); // the pid was reused between the look and the open
            return null;
        }
        return handle;
    }
}
