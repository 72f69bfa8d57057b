package dev.netns.docker;

import dev.netns.NamespaceId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the resolver remembers of containers it resolved: reference (full id, name or id prefix) to
 * container, process and namespace, and who to tell when such an entry goes stale.
 *
 * <p>An entry is only ever a hint: the resolver checks on every hit that the process is still the
 * same one (pid and start time). A full id never changes meaning, so its entry is good while the
 * process lives. A name or a prefix can come to mean another container (a name reused, a prefix
 * made ambiguous by a new container), which only the event stream reveals: such entries are
 * trusted only while the stream has been up since they were made (same {@code epoch}).
 */
final class ContainerCache {

    private static final Logger log = LoggerFactory.getLogger(ContainerCache.class);
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");
    /** Far more than any real use needs; a bound so that lookups of many short-lived containers cannot grow it for good. */
    private static final int MAX_ENTRIES = 4096;

    /**
     * One resolved container.
     *
     * @param epoch the event stream's epoch when the lookup started
     */
    record Entry(String containerId, String name, int pid, long startTime, NamespaceId namespace, long epoch) {
    }

    private final ConcurrentHashMap<String, Entry> byReference = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<ContainerInvalidationListener> listeners = new CopyOnWriteArrayList<>();
    private long changes;

    static boolean isFullId(String reference) {
        return FULL_ID.matcher(reference).matches();
    }

    @Nullable Entry get(String reference) {
        return byReference.get(reference);
    }

    /** A counter that moves whenever entries are dropped; read it before a lookup and hand it to {@link #put}. */
    synchronized long changes() {
        return changes;
    }

    /**
     * Remembers a lookup under each reference, unless entries were dropped since {@code changesBefore}
     * (an event may have made the lookup stale while it ran).
     */
    synchronized void put(Entry entry, long changesBefore, String... references) {
        if (changes != changesBefore) {
            return;
        }
        if (byReference.size() >= MAX_ENTRIES) {
            byReference.clear();
        }
        for (String reference : references) {
            if (!reference.isEmpty()) {
                byReference.put(reference, entry);
            }
        }
    }

    /**
     * Drops every entry of a container. Tells the listeners when {@code notify} is set.
     *
     * @param name the container's name when known (events carry it), else empty
     */
    void invalidate(String containerId, String name, String reason, boolean notify) {
        Entry dropped = null;
        synchronized (this) {
            changes++;
            List<String> stale = new ArrayList<>();
            for (var mapping : byReference.entrySet()) {
                if (mapping.getValue().containerId().equals(containerId)) {
                    stale.add(mapping.getKey());
                    dropped = mapping.getValue();
                }
            }
            stale.forEach(byReference::remove);
        }
        if (notify) {
            String knownName = !name.isEmpty() ? name : dropped != null ? dropped.name() : "";
            fire(new ContainerInvalidation(containerId, knownName, dropped != null ? dropped.namespace() : null,
                    dropped != null ? dropped.pid() : 0, reason));
        }
    }

    /**
     * Applies one of the engine's container events: a {@code create} may take a name or make a
     * prefix ambiguous, a {@code start} or {@code rename} gives a container a new process or name,
     * and after a {@code die} or {@code destroy} its namespace is gone (the listeners hear of it).
     * Fits {@link ContainerEvents.Listener}.
     */
    void onContainerEvent(String action, String containerId, String name) {
        switch (action) {
            case "create" -> forgetNamesAndPrefixes();
            case "start", "rename" -> invalidate(containerId, name, action, false);
            case "die", "destroy" -> invalidate(containerId, name, action, true);
            default -> {
                // not one of the actions the stream asks for
            }
        }
    }

    /** Drops the entries of names and id prefixes: a new container may have taken a name or made a prefix ambiguous. */
    synchronized void forgetNamesAndPrefixes() {
        changes++;
        byReference.keySet().removeIf(reference -> !isFullId(reference));
    }

    synchronized void clear() {
        changes++;
        byReference.clear();
    }

    void addListener(ContainerInvalidationListener listener) {
        listeners.add(listener);
    }

    void removeListener(ContainerInvalidationListener listener) {
        listeners.remove(listener);
    }

    private void fire(ContainerInvalidation invalidation) {
        log.debug("Container namespace invalidated: {}", invalidation);
        for (ContainerInvalidationListener listener : listeners) {
            try {
                listener.invalidated(invalidation);
            } catch (RuntimeException e) {
                log.warn("A container invalidation listener failed on {}", invalidation, e);
            }
        }
    }
}
