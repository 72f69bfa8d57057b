package dev.netns.internal;

import dev.netns.HandleInfo;
import dev.netns.NamespaceType;
import java.lang.ref.Cleaner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open namespace handles of one runtime, with its leak policy. A handle that becomes
 * unreachable while still open is closed by a {@link Cleaner}, counted as leaked by the registry
 * it was opened through, and logged when that registry logs leaks: with its source, and the stack
 * that opened it when the registry tracks stacks, else with how to turn that on.
 *
 * <p>What is per process stays per process: one table of every open handle of this JVM (the fd
 * table is the process's), of which each registry sees its own, and one Cleaner thread.
 */
public final class HandleRegistry {

    private static final Logger log = LoggerFactory.getLogger(HandleRegistry.class);

    /** Every open handle of this JVM, whichever registry it was opened through. */
    private static final ConcurrentHashMap<Long, Entry> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong SERIALS = new AtomicLong();

    private final LongAdder leaked = new LongAdder();
    private final String stackTracesHint;
    private volatile boolean trackStackTraces;
    private volatile boolean logLeaks;

    /**
     * @param stackTracesHint how a user turns stack tracking on for this registry's runtime, for the
     *     leak log ({@code set netns.leak-detection.track-stack-traces=true})
     */
    public HandleRegistry(boolean logLeaks, boolean trackStackTraces, String stackTracesHint) {
        this.logLeaks = logLeaks;
        this.trackStackTraces = trackStackTraces;
        this.stackTracesHint = Objects.requireNonNull(stackTracesHint, "stackTracesHint");
    }

    /**
     * Registers an open handle; the returned {@link Cleaner.Cleanable} must be cleaned when the
     * handle is closed (after its fd was released), and runs by itself if the handle leaks.
     */
    public Cleaner.Cleanable register(Object handle, OwnedFd fd, String uniqueId, NamespaceType type, String source) {
        long serial = SERIALS.incrementAndGet();
        String stack = trackStackTraces ? StackTraces.ofCaller() : null;
        Entry entry = new Entry(this, fd, uniqueId, type, source, Instant.now(), Thread.currentThread().getName(), stack);
        OPEN.put(serial, entry);
        return Shared.CLEANER.register(handle, new Release(serial, entry));
    }

    /** The handles open now that were opened through this registry, oldest first. */
    public List<HandleInfo> snapshot() {
        return snapshot(entry -> entry.registry == this);
    }

    /** Every handle open now in this JVM, whichever registry it was opened through, oldest first. */
    public static List<HandleInfo> snapshotOfAll() {
        return snapshot(entry -> true);
    }

    private static List<HandleInfo> snapshot(Predicate<Entry> included) {
        List<HandleInfo> infos = new ArrayList<>();
        for (Entry entry : OPEN.values()) {
            int fd = entry.fd.get();
            if (fd >= 0 && included.test(entry)) {
                infos.add(new HandleInfo(fd, entry.uniqueId, entry.type, entry.source, entry.openedAt,
                        entry.thread, entry.stackTrace));
            }
        }
        infos.sort(Comparator.comparing(HandleInfo::openedAt).thenComparingInt(HandleInfo::fd));
        return infos;
    }

    /** How many handles opened through this registry were garbage-collected while open (and closed then). */
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

    public boolean logsLeaks() {
        return logLeaks;
    }

    /**
     * The Cleaner of leaked handles, which also closes what a run dir's names hold when they become
     * unreachable unclosed ({@link NamedNamespaces}); its thread is started at home on first use.
     */
    static Cleaner cleaner() {
        return Shared.CLEANER;
    }

    /** Made with the first handle, so that a registry can be created without touching the kernel. */
    private static final class Shared {
        /** Created, and its thread started, at home: the first handle may be opened inside a namespace. */
        static final Cleaner CLEANER = HomeThreads.newCleaner("netns-handle-cleaner");
    }

    private record Entry(HandleRegistry registry, OwnedFd fd, String uniqueId, NamespaceType type, String source,
            Instant openedAt, String thread, @Nullable String stackTrace) {
    }

    /** Runs on close (fd already released: nothing to do but forget) or when the handle leaked. */
    private record Release(long serial, Entry entry) implements Runnable {
        @Override
        public void run() {
            OPEN.remove(serial);
            int fd = entry.fd.release();
            if (fd >= 0) {
                Syscalls.closeQuietly(fd);
                HandleRegistry registry = entry.registry;
                registry.leaked.increment();
                if (registry.logLeaks) {
                    if (entry.stackTrace != null) {
                        log.warn("Namespace handle {} ({}) was garbage-collected while open; closed fd {}. Opened by {} at:\n{}",
                                entry.uniqueId, entry.source, fd, entry.thread, entry.stackTrace);
                    } else {
                        log.warn("Namespace handle {} ({}) was garbage-collected while open; closed fd {}. Opened by {};"
                                + " {} to see where", entry.uniqueId, entry.source, fd, entry.thread, registry.stackTracesHint);
                    }
                }
            }
        }
    }
}
