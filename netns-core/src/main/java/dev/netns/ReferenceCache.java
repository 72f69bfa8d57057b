package dev.netns;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Finds the pinned executor of an alias or reference, cheaply when asked again. Each text is
 * looked up as an alias or parsed once, with the file of its namespace ({@link NamespaceFile}),
 * its path encoded once; at most {@link #MAX_ENTRIES} texts are kept, then the cache starts over.
 * A call stats that file and takes the live executor of the namespace found there, opening
 * nothing. The id a stat gives is only trusted because a live executor holds that namespace: its
 * handle keeps the inode from being reused, so a named namespace deleted and made again under the
 * same name has another id and gets an executor of its own. Anything else (no executor yet, a
 * scheme of an extra resolver) goes through the resolver.
 */
final class ReferenceCache {

    /** How many texts are kept before the cache starts over. */
    static final int MAX_ENTRIES = 4096;

    private final NamespaceAliases aliases;
    private final NamespaceResolver resolver;
    private final NamespaceExecutors executors;
    private final Supplier<Path> runDir;
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();

    /**
     * A parsed alias or reference.
     *
     * @param alias the alias it was reached through, or {@code null}
     * @param file where its namespace is found by stat, or {@code null} when only the resolver knows
     * @param runDir the run dir {@code file} was found in
     */
    record Target(NamespaceReference reference, @Nullable String alias, @Nullable NamespaceFile file, Path runDir) {

        /** The kind of reference, for listeners: its scheme. */
        String referenceKind() {
            return reference.scheme();
        }
    }

    /**
     * @param runDir the run dir of named namespaces, asked on every lookup: when it changes, names
     *     are looked up again
     */
    ReferenceCache(NamespaceAliases aliases, NamespaceResolver resolver, NamespaceExecutors executors, Supplier<Path> runDir) {
        this.aliases = aliases;
        this.resolver = resolver;
        this.executors = executors;
        this.runDir = runDir;
    }

    /**
     * The alias or reference, parsed.
     *
     * @throws IllegalArgumentException when it is neither an alias nor a valid reference
     */
    Target target(String aliasOrReference) {
        Path dir = runDir.get();
        Target target = targets.get(aliasOrReference);
        if (target != null && target.runDir() == dir) { // another run dir moves every name
            return target;
        }
        NamespaceReference reference = aliases.referenceOf(aliasOrReference);
        String alias = aliases.isAlias(aliasOrReference) ? aliasOrReference : null;
        target = new Target(reference, alias, NamespaceFile.of(reference, dir), dir);
        if (targets.size() >= MAX_ENTRIES) {
            targets.clear();
        }
        targets.put(aliasOrReference, target);
        return target;
    }

    /**
     * The live executor of the target's namespace, made (through the resolver) when there is
     * none. Reached through an alias, it is labelled with the alias, whoever made it first.
     *
     * @throws NamespaceNotFoundException when the target points to nothing
     */
    PinnedExecutor executorFor(Target target) {
        PinnedExecutor executor = null;
        NamespaceFile file = target.file();
        if (file != null) {
            NamespaceId id = file.currentId();
            if (id != null) {
                executor = executors.lookup(id);
            }
        }
        if (executor == null) {
            try (NsHandle ns = resolver.resolve(target.reference())) {
                executor = executors.pinned(ns, label(target, ns));
            }
        }
        if (target.alias() != null && !target.alias().equals(executor.label())) {
            executor.relabel(target.alias());
        }
        return executor;
    }

    private static String label(Target target, NsHandle ns) {
        if (target.alias() != null) {
            return target.alias();
        }
        String label = target.reference().executorLabel();
        return label != null ? label : String.valueOf(ns.id());
    }

    /** How many texts are kept now. */
    int size() {
        return targets.size();
    }
}
