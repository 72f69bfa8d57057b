package dev.netns.spring.boot.actuate;

import dev.netns.ExecutorInfo;
import dev.netns.HandleInfo;
import dev.netns.InterfaceSnapshots;
import dev.netns.NamespaceId;
import dev.netns.NamespaceIdSnapshots;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetnsException;
import dev.netns.NetnsRuntime;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.NsHandle;
import dev.netns.ThreadNamespace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

/**
 * The {@code netns} endpoint, read-only: this JVM's namespace, the aliases and whether they
 * resolve, the named namespaces of its runtime's run dir, the handles open through that runtime,
 * pinned executors, threads by namespace with strays flagged, and the runtime's leaked-handle count; {@code /netns/{aliasOrReference}} details one namespace
 * (its names, executor, the interfaces inside it, and the namespace ids it knows other namespaces
 * by, as {@code ip -n NAME netns list-id} shows them). Nothing here creates, deletes or enters a
 * namespace on the caller's thread, and nothing here pins an executor or keeps a handle open. Exposed
 * over HTTP only when the application includes it. The detail serves the configured aliases and the
 * references whose scheme its {@link ReferenceSchemePolicy} allows ({@code netns.endpoint.reference-schemes}:
 * {@code name}, {@code docker} and {@code host} by default); any other reference is refused before
 * anything is opened, so that a caller cannot make the application open {@code path:/etc/shadow}
 * or look into any process's namespace.
 */
@Endpoint(id = "netns")
public class NetnsEndpoint {

    /** errno of a file that is not a namespace of the type asked for. */
    private static final int EINVAL = 22;

    private static final Logger log = LoggerFactory.getLogger(NetnsEndpoint.class);

    private final NetnsRuntime runtime;
    private final NamespaceTemplate template;
    private final ReferenceSchemePolicy references;

    /**
     * The endpoint of the template's runtime with the default reference schemes
     * ({@link ReferenceSchemePolicy#DEFAULT_SCHEMES}).
     */
    public NetnsEndpoint(NamespaceTemplate template) {
        this(template.runtime(), template, new ReferenceSchemePolicy(template, ReferenceSchemePolicy.DEFAULT_SCHEMES,
                "netns.endpoint.reference-schemes"));
    }

    /**
     * The endpoint of a runtime (its named namespaces, handles and leaks) whose detail serves what
     * {@code references} allows.
     */
    public NetnsEndpoint(NetnsRuntime runtime, NamespaceTemplate template, ReferenceSchemePolicy references) {
        this.runtime = runtime;
        this.template = template;
        this.references = references;
    }

    @ReadOperation
    public NetnsDescriptor netns() {
        try {
            NamespaceId host = Netns.hostId();
            Map<String, AliasDescriptor> aliases = new LinkedHashMap<>();
            template.aliases().forEach((alias, reference) -> aliases.put(alias, describe(reference)));
            List<NamedDescriptor> named = new ArrayList<>();
            for (String name : runtime.listNamed()) {
                named.add(new NamedDescriptor(name, idOf(NamespaceReference.name(name))));
            }
            Instant now = Instant.now();
            List<HandleDescriptor> handles = runtime.openHandles().stream().map(handle -> HandleDescriptor.of(handle, now)).toList();
            List<ThreadNamespace> threads = Netns.threads();
            Map<String, NamespaceThreads> byNamespace = new TreeMap<>();
            for (ThreadNamespace thread : threads) {
                String namespace = String.valueOf(thread.netns());
                byNamespace.computeIfAbsent(namespace, key -> new NamespaceThreads(key, thread.host(), new ArrayList<>()))
                        .threads().add(new ThreadDescriptor(thread.tid(), thread.name(), thread.pinnedWorker(), thread.stray()));
            }
            long strays = threads.stream().filter(ThreadNamespace::stray).count();
            List<ExecutorDescriptor> executors = template.executors().executors().stream()
                    .map(info -> ExecutorDescriptor.of(info, labelOf(info, host))).toList();
            return new NetnsDescriptor(host.toString(), aliases, named, handles, executors,
                    new ArrayList<>(byNamespace.values()), strays, runtime.leakedHandles(), null);
        } catch (UnsupportedOperationException e) {
            return new NetnsDescriptor(null, Map.of(), List.of(), List.of(), List.of(), List.of(), 0, 0, e.getMessage());
        }
    }

    /**
     * One namespace in detail. The reference may contain slashes ({@code path:/run/netns/blue},
     * {@code thread:1/2}); 404 when it points to nothing, 400 when it is malformed or names a file
     * that is no network namespace (over HTTP, {@link NetnsEndpointWebExtension} gives both a body
     * saying why, and 403 for a scheme not served).
     *
     * @throws ReferenceSchemeNotAllowedException for a reference whose scheme is not served
     */
    @ReadOperation
    public @Nullable NamespaceDescriptor namespace(@Selector(match = Match.ALL_REMAINING) String[] aliasOrReference) {
        Lookup lookup = lookup(String.join("/", aliasOrReference));
        if (lookup.refused() != null) {
            throw lookup.refused();
        }
        if (lookup.malformed() != null) {
            throw new InvalidEndpointRequestException(lookup.malformed(), "Malformed namespace reference");
        }
        return lookup.found();
    }

    /**
     * Looks one namespace up: what it is, or why not. Its interfaces are listed without pinning an
     * executor or keeping a handle ({@link InterfaceSnapshots}), so looking does not keep it alive.
     * A reference whose scheme is not served is refused before anything is opened.
     */
    Lookup lookup(String text) {
        NamespaceReference reference;
        try {
            reference = references.check(text);
        } catch (ReferenceSchemeNotAllowedException e) {
            log.info("netns endpoint refused a reference: {}", e.getMessage()); // one line; names no caller input but the scheme
            return new Lookup(null, null, null, e);
        } catch (IllegalArgumentException e) {
            return new Lookup(null, null, e.getMessage(), null);
        }
        String alias = template.aliases().containsKey(text) ? text : null;
        try (NsHandle ns = template.resolver().resolve(reference)) {
            NamespaceId id = ns.id();
            NamespaceId host = Netns.hostId();
            ExecutorDescriptor executor = template.executors().executors().stream()
                    .filter(info -> info.namespace().equals(id)).findFirst()
                    .map(info -> ExecutorDescriptor.of(info, labelOf(info, host))).orElse(null);
            List<NetworkInterfaceInfo> interfaces = null;
            Map<String, Integer> nsids = null;
            String error = null;
            try {
                interfaces = InterfaceSnapshots.of(ns);
                nsids = NamespaceIdSnapshots.of(ns, runtime);
            } catch (NetnsException e) {
                error = e.getMessage();
            }
            return new Lookup(new NamespaceDescriptor(reference.toString(), alias, String.valueOf(id), runtime.namesOf(ns),
                    executor, interfaces, error, nsids), null, null, null);
        } catch (NamespaceNotFoundException e) {
            return new Lookup(null, e.getMessage(), null, null);
        } catch (NetnsException e) {
            if (e.errno() == EINVAL) { // the reference names a file that is no (network) namespace: the caller's mistake
                return new Lookup(null, null, e.getMessage(), null);
            }
            throw e;
        } catch (IllegalArgumentException e) {
            return new Lookup(null, null, e.getMessage(), null);
        }
    }

    /**
     * What a lookup found: the namespace, or the reason it was not found, or why the reference is
     * malformed, or the refusal of a scheme not served.
     */
    record Lookup(@Nullable NamespaceDescriptor found, @Nullable String notFound, @Nullable String malformed,
            @Nullable ReferenceSchemeNotAllowedException refused) {
    }

    /**
     * An executor's label as this endpoint shows it, the same however the executor was first made:
     * its alias, else {@code host} for this JVM's namespace, else the label it was given.
     */
    private String labelOf(ExecutorInfo info, NamespaceId host) {
        if (template.aliases().containsKey(info.label())) {
            return info.label();
        }
        return info.namespace().equals(host) ? "host" : info.label();
    }

    private AliasDescriptor describe(NamespaceReference reference) {
        try (NsHandle ns = template.resolver().resolve(reference)) {
            return new AliasDescriptor(reference.toString(), true, String.valueOf(ns.id()), null);
        } catch (RuntimeException e) {
            return new AliasDescriptor(reference.toString(), false, null, e.getMessage());
        }
    }

    private @Nullable String idOf(NamespaceReference reference) {
        try (NsHandle ns = template.resolver().resolve(reference)) {
            return String.valueOf(ns.id());
        } catch (RuntimeException e) {
            return null; // a stale file, or deleted meanwhile
        }
    }

    /** The whole picture; {@code error} says why it is empty (no network namespaces on this system). */
    public record NetnsDescriptor(@Nullable String host, Map<String, AliasDescriptor> aliases, List<NamedDescriptor> named,
            List<HandleDescriptor> handles, List<ExecutorDescriptor> executors, List<NamespaceThreads> threads, long strayThreads,
            long leakedHandles, @Nullable String error) implements OperationResponseBody {
    }

    /** An alias: its reference and whether it resolves now. */
    public record AliasDescriptor(String reference, boolean resolved, @Nullable String namespace, @Nullable String error) {
    }

    /** A named namespace; {@code namespace} is null for a stale file. */
    public record NamedDescriptor(String name, @Nullable String namespace) {
    }

    /**
     * An open handle; {@code namespace} is its id written as everywhere in this endpoint
     * ({@code dev:ino}); {@code stackTrace} only when stack tracking is on.
     */
    public record HandleDescriptor(int fd, String namespace, String type, String source, Instant openedAt, Duration age,
            String thread, @Nullable String stackTrace) {

        static HandleDescriptor of(HandleInfo handle, Instant now) {
            return new HandleDescriptor(handle.fd(), idOfUniqueId(handle.uniqueId()), handle.type().procName(), handle.source(),
                    handle.openedAt(), Duration.between(handle.openedAt(), now), handle.thread(), handle.stackTrace());
        }

        /** {@code NS(4:4026532315)} as {@code 4:4026532315}. */
        private static String idOfUniqueId(String uniqueId) {
            return uniqueId.startsWith("NS(") && uniqueId.endsWith(")") ? uniqueId.substring(3, uniqueId.length() - 1) : uniqueId;
        }
    }

    /**
     * A pinned executor: its namespace id ({@code dev:ino}), its label (the alias, {@code host} for
     * this JVM's namespace, else the name or id it was made for) and its counts; {@code hung} counts
     * the callbacks running longer than {@code netns.executor.hung-after} now.
     */
    public record ExecutorDescriptor(String namespace, String label, int threads, int active, int queued, long completed,
            long retired, int hung) {

        static ExecutorDescriptor of(ExecutorInfo info, String label) {
            return new ExecutorDescriptor(String.valueOf(info.namespace()), label, info.threads(), info.active(), info.queued(),
                    info.completed(), info.retired(), info.hung());
        }
    }

    /** The threads in one namespace. */
    public record NamespaceThreads(String namespace, boolean host, List<ThreadDescriptor> threads) {
    }

    /** A thread; a stray is outside the host namespace without being a pinned worker. */
    public record ThreadDescriptor(int tid, String name, boolean pinnedWorker, boolean stray) {
    }

    /**
     * One namespace in detail; {@code interfaces} and {@code nsids} are null, and {@code error} says
     * why, when they cannot be read; {@code nsids} are the ids it knows named namespaces (and
     * {@code host}) by, those that have one.
     */
    public record NamespaceDescriptor(String reference, @Nullable String alias, String namespace, List<String> names,
            @Nullable ExecutorDescriptor executor, @Nullable List<NetworkInterfaceInfo> interfaces, @Nullable String error,
            @Nullable Map<String, Integer> nsids)
            implements OperationResponseBody {
    }
}
