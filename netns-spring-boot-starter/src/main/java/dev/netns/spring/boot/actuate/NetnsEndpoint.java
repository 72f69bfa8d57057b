package dev.netns.spring.boot.actuate;

import dev.netns.ExecutorInfo;
import dev.netns.HandleInfo;
import dev.netns.NamespaceId;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
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
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

/**
 * The {@code netns} endpoint, read-only: this JVM's namespace, the aliases and whether they
 * resolve, named namespaces, open handles, pinned executors, threads by namespace with strays
 * flagged, and the leaked-handle count; {@code /netns/{aliasOrReference}} details one namespace
 * (its names, executor, the interfaces inside it, and the namespace ids it knows other namespaces
 * by, as {@code ip -n NAME netns list-id} shows them). Nothing here creates, deletes or enters a
 * namespace on the caller's thread. Exposed over HTTP only when the application includes it.
 */
@Endpoint(id = "netns")
public class NetnsEndpoint {

    private final NamespaceTemplate template;

    public NetnsEndpoint(NamespaceTemplate template) {
        this.template = template;
    }

    @ReadOperation
    public NetnsDescriptor netns() {
        try {
            NamespaceId host = Netns.hostId();
            Map<String, AliasDescriptor> aliases = new LinkedHashMap<>();
            template.aliases().forEach((alias, reference) -> aliases.put(alias, describe(reference)));
            List<NamedDescriptor> named = new ArrayList<>();
            for (String name : Netns.listNamed()) {
                named.add(new NamedDescriptor(name, idOf(NamespaceReference.name(name))));
            }
            Instant now = Instant.now();
            List<HandleDescriptor> handles = Netns.openHandles().stream().map(handle -> HandleDescriptor.of(handle, now)).toList();
            List<ThreadNamespace> threads = Netns.threads();
            Map<String, NamespaceThreads> byNamespace = new TreeMap<>();
            for (ThreadNamespace thread : threads) {
                String namespace = String.valueOf(thread.netns());
                byNamespace.computeIfAbsent(namespace, key -> new NamespaceThreads(key, thread.host(), new ArrayList<>()))
                        .threads().add(new ThreadDescriptor(thread.tid(), thread.name(), thread.pinnedWorker(), thread.stray()));
            }
            long strays = threads.stream().filter(ThreadNamespace::stray).count();
            return new NetnsDescriptor(host.toString(), aliases, named, handles, template.executors().executors(),
                    new ArrayList<>(byNamespace.values()), strays, Netns.leakedHandles(), null);
        } catch (UnsupportedOperationException e) {
            return new NetnsDescriptor(null, Map.of(), List.of(), List.of(), List.of(), List.of(), 0, 0, e.getMessage());
        }
    }

    /**
     * One namespace in detail. The reference may contain slashes ({@code path:/run/netns/blue},
     * {@code thread:1/2}); 404 when it points to nothing, 400 when it is malformed.
     */
    @ReadOperation
    public @Nullable NamespaceDescriptor namespace(@Selector(match = Match.ALL_REMAINING) String[] aliasOrReference) {
        String text = String.join("/", aliasOrReference);
        NamespaceReference reference;
        try {
            reference = template.referenceOf(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "Malformed namespace reference");
        }
        String alias = template.aliases().containsKey(text) ? text : null;
        try (NsHandle ns = template.resolver().resolve(reference)) {
            NamespaceId id = ns.id();
            ExecutorInfo executor = template.executors().executors().stream()
                    .filter(info -> info.namespace().equals(id)).findFirst().orElse(null);
            String target = alias != null ? alias : reference.toString();
            List<NetworkInterfaceInfo> interfaces = template.interfaces(target);
            return new NamespaceDescriptor(reference.toString(), alias, String.valueOf(id), Netns.namesOf(ns), executor,
                    interfaces, template.execute(target, inside -> knownIds()));
        } catch (NamespaceNotFoundException e) {
            return null;
        }
    }

    /**
     * The ids the calling thread's namespace knows named namespaces (and {@code host}, this JVM's
     * own) by: run inside the namespace described.
     */
    private static Map<String, Integer> knownIds() {
        Map<String, Integer> ids = new TreeMap<>();
        try (NsHandle host = Netns.fromPath("/proc/self/ns/net")) {
            Netns.nsid(host).ifPresent(id -> ids.put("host", id));
        }
        for (String name : Netns.listNamed()) {
            try (NsHandle named = Netns.fromName(name)) {
                Netns.nsid(named).ifPresent(id -> ids.put(name, id));
            } catch (RuntimeException e) {
                // a stale file, or deleted meanwhile: it has no id to show
            }
        }
        return ids;
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
            List<HandleDescriptor> handles, List<ExecutorInfo> executors, List<NamespaceThreads> threads, long strayThreads,
            long leakedHandles, @Nullable String error) implements OperationResponseBody {
    }

    /** An alias: its reference and whether it resolves now. */
    public record AliasDescriptor(String reference, boolean resolved, @Nullable String namespace, @Nullable String error) {
    }

    /** A named namespace; {@code namespace} is null for a stale file. */
    public record NamedDescriptor(String name, @Nullable String namespace) {
    }

    /** An open handle; {@code stackTrace} only when stack tracking is on. */
    public record HandleDescriptor(int fd, String uniqueId, String type, String source, Instant openedAt, Duration age,
            String thread, @Nullable String stackTrace) {

        static HandleDescriptor of(HandleInfo handle, Instant now) {
            return new HandleDescriptor(handle.fd(), handle.uniqueId(), handle.type().procName(), handle.source(),
                    handle.openedAt(), Duration.between(handle.openedAt(), now), handle.thread(), handle.stackTrace());
        }
    }

    /** The threads in one namespace. */
    public record NamespaceThreads(String namespace, boolean host, List<ThreadDescriptor> threads) {
    }

    /** A thread; a stray is outside the host namespace without being a pinned worker. */
    public record ThreadDescriptor(int tid, String name, boolean pinnedWorker, boolean stray) {
    }

    /**
     * One namespace in detail; {@code nsids} are the ids it knows named namespaces (and
     * {@code host}) by, those that have one.
     */
    public record NamespaceDescriptor(String reference, @Nullable String alias, String namespace, List<String> names,
            @Nullable ExecutorInfo executor, List<NetworkInterfaceInfo> interfaces, Map<String, Integer> nsids)
            implements OperationResponseBody {
    }
}
