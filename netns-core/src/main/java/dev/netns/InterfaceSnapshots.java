package dev.netns;

import java.util.List;

/**
 * The interfaces inside a namespace, listed without a pinned executor: a short-lived library
 * thread, started by the caller, switches into the namespace, lists its interfaces over rtnetlink
 * and switches back home before it ends. Nothing is kept: no executor, no thread, no handle, so
 * looking at a namespace does not keep it alive once another tool deletes it. For occasional looks
 * (a dashboard, an endpoint); each call costs a thread start, so code that lists the same
 * namespace often is better served by {@link NamespaceTemplate#interfaces(String)}.
 */
public final class InterfaceSnapshots {

    private InterfaceSnapshots() {
    }

    /**
     * The interfaces and addresses inside the handle's network namespace, as
     * {@link Netns#interfaces()} lists them there. The caller's thread never moves.
     *
     * @throws IllegalArgumentException when the handle is closed or not a network namespace
     * @throws NetnsException when the namespace cannot be entered (CAP_SYS_ADMIN is needed)
     */
    public static List<NetworkInterfaceInfo> of(NsHandle ns) {
        return NamespaceVisit.run(ns, "netns-interfaces", Netns::interfaces);
    }
}
