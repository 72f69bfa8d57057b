package dev.netns;

import java.util.Map;
import java.util.TreeMap;

/**
 * The namespace ids a namespace knows others by, as {@code ip -n NAME netns list-id} shows them,
 * read without a pinned executor, like {@link InterfaceSnapshots}: a short-lived library thread
 * switches into the namespace, asks ({@link Netns#nsid}) about this JVM's namespace and every named
 * one, and switches back home before it ends. Nothing is kept, so looking does not keep the
 * namespace alive. For occasional looks (an endpoint); {@link NamespaceTemplate#nsid(String, String)}
 * asks about one namespace on a pinned thread.
 */
public final class NamespaceIdSnapshots {

    /** The key of this JVM's own namespace in {@link #of}'s map. */
    public static final String HOST = "host";

    private NamespaceIdSnapshots() {
    }

    /**
     * The ids the handle's namespace knows this JVM's namespace (key {@value #HOST}) and the named
     * namespaces of the default runtime's run dir (by name) by; those without an id are left out. The
     * caller's thread never moves.
     *
     * @throws IllegalArgumentException when the handle is closed or not a network namespace
     * @throws NetnsException when the namespace cannot be entered (CAP_SYS_ADMIN is needed)
     */
    public static Map<String, Integer> of(NsHandle ns) {
        return of(ns, NetnsRuntime.defaultRuntime());
    }

    /**
     * {@link #of(NsHandle)} for the named namespaces of a runtime's run dir, the handles it opens
     * meanwhile being that runtime's.
     */
    public static Map<String, Integer> of(NsHandle ns, NetnsRuntime runtime) {
        return NamespaceVisit.run(ns, "netns-nsids", () -> knownHere(runtime));
    }

    private static Map<String, Integer> knownHere(NetnsRuntime runtime) {
        Map<String, Integer> ids = new TreeMap<>();
        try (NsHandle host = runtime.host()) {
            Netns.nsid(host).ifPresent(id -> ids.put(HOST, id));
        }
        for (String name : runtime.listNamed()) {
            try (NsHandle named = runtime.fromName(name)) {
                Netns.nsid(named).ifPresent(id -> ids.put(name, id));
            } catch (RuntimeException e) {
                // a stale file, or deleted meanwhile: it has no id to show
            }
        }
        return ids;
    }
}
