package dev.netns.internal;

import dev.netns.HandleInfo;
import dev.netns.NamespaceType;
import java.lang.ref.Cleaner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open namespace handle of this JVM. A handle that becomes unreachable while still open is
 * closed by a {@link Cleaner}, counted as leaked and logged with its source (and the stack that
 * opened it when stack tracking is on: system property {@code netns.track-stack-traces=true}).
 */
public final class HandleRegistry {

    private static final Logger log = LoggerFactory.getLogger(HandleRegistry.class);
    private static final HandleRegistry INSTANCE = new HandleRegistry();

    private final Cleaner cleaner = HomeCleaner.create("netns-handle-cleaner");
    private final ConcurrentHashMap<Long, Entry> open = new ConcurrentHashMap<>();
    private final AtomicLong serials = new AtomicLong();
    private final LongAdder leaked = new LongAdder();
    private volatile boolean trackStackTraces = Boolean.getBoolean("netns.track-stack-traces");
    private volatile boolean logLeaks = !"false".equals(System.getProperty("netns.leak-detection.enabled"));

    private HandleRegistry() {
    }

    public static HandleRegistry instance() {
        return INSTANCE;
    }

    /**
     * Registers an open handle; the returned {@link Cleaner.Cleanable} must be cleaned when the
     * handle is closed (after its fd was released), and runs by itself if the handle leaks.
     */
    public Cleaner.Cleanable register(Object handle, OwnedFd fd, String uniqueId, NamespaceType type, String source) {
        long serial = serials.incrementAndGet();
        String stack = trackStackTraces ? StackTraces.ofCaller() : null;
        Entry entry = new Entry(fd, uniqueId, type, source, Instant.now(), Thread.currentThread().getName(), stack);
        open.put(serial, entry);
        return cleaner.register(handle, new Release(this, serial, entry));
    }

    /** The handles open now, oldest first. */
    public List<HandleInfo> snapshot() {
        List<HandleInfo> infos = new ArrayList<>(open.size());
        for (Entry entry : open.values()) {
            int fd = entry.fd.get();
            if (fd >= 0) {
                infos.add(new HandleInfo(fd, entry.uniqueId, entry.type, entry.source, entry.openedAt,
                        entry.thread, entry.stackTrace));
            }
        }
        infos.sort(Comparator.comparing(HandleInfo::openedAt).thenComparingInt(HandleInfo::fd));
        return infos;
    }

    /** How many handles are open now. */
    public int openCount() {
        return open.size();
    }

    /** How many handles were garbage-collected while open (and closed then) since start. */
    public long leakedCount() {
        return leaked.sum();
    }

    /** Whether handles opened from now on record the stack that opened them. */
    public void trackStackTraces(boolean track) {
        this.trackStackTraces = track;
    }

    public boolean tracksStackTraces() {
        return trackStackTraces;
    }

    /** Whether a leaked handle is logged (it is closed and counted either way). */
    public void logLeaks(boolean log) {
        this.logLeaks = log;
    }

    private record Entry(OwnedFd fd, String uniqueId, NamespaceType type, String source, Instant openedAt,
            String thread, @Nullable String stackTrace) {
    }

    /** Runs on close (fd already released: nothing to do but forget) or when the handle leaked. */
    private record Release(HandleRegistry registry, long serial, Entry entry) implements Runnable {
        @Override
        public void run() {
            registry.open.remove(serial);
            int fd = entry.fd.release();
            if (fd >= 0) {
                Syscalls.closeQuietly(fd);
                registry.leaked.increment();
                if (registry.logLeaks) {
                    if (entry.stackTrace != null) {
                        log.warn("Namespace handle {} ({}) was garbage-collected while open; closed fd {}. Opened by {} at:\n{}",
                                entry.uniqueId, entry.source, fd, entry.thread, entry.stackTrace);
                    } else {
                        log.warn("Namespace handle {} ({}) was garbage-collected while open; closed fd {}. Opened by {};"
                                + " set netns.track-stack-traces=true to see where", entry.uniqueId, entry.source, fd, entry.thread);
                    }
                }
            }
        }
    }
}
