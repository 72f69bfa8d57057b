package dev.netns.sample.namespaces;

import dev.netns.NamespaceId;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.NsHandle;
import dev.netns.sample.docker.ContainerCatalog;
import dev.netns.sample.echo.EchoInfo;
import dev.netns.sample.echo.EchoServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Lists the namespaces the sample knows: named ones, running containers, aliases, with their echo servers. */
public class NamespaceCatalog {

    private final NamespaceTemplate template;
    private final ContainerCatalog containers;
    private final EchoServers echoServers;

    public NamespaceCatalog(NamespaceTemplate template, ContainerCatalog containers, EchoServers echoServers) {
        this.template = template;
        this.containers = containers;
        this.echoServers = echoServers;
    }

    /** Everything at once; named namespaces that vanish while they are listed are left out or shown without an id. */
    public NamespaceList list() {
        // Read on this request thread, a thread of the host namespace: no pinned worker, and so no
        // privilege, is needed to list, which keeps the listing working for an unprivileged user.
        Set<String> hostLinks = Netns.interfaces().stream().map(NetworkInterfaceInfo::name).collect(Collectors.toSet());
        List<NamespaceList.Named> named = new ArrayList<>();
        for (String name : template.runtime().listNamed()) {
            NamespaceReference reference = NamespaceReference.name(name);
            NamespaceId id = idOf(reference);
            String hostEnd = VethLinks.hostEndOf(name);
            EchoInfo echo = id != null ? echoServers.in(id) : null;
            named.add(new NamespaceList.Named(name, reference.toString(), id != null ? id.toString() : null,
                    hostLinks.contains(hostEnd) ? hostEnd : null, echo));
        }
        List<NamespaceList.Alias> aliases = new ArrayList<>();
        template.aliases().forEach((alias, reference) -> aliases.add(new NamespaceList.Alias(alias, reference.toString())));
        return new NamespaceList(Netns.hostId().toString(), named, containers.list(), aliases, echoServers.list());
    }

    private @Nullable NamespaceId idOf(NamespaceReference reference) {
        try (NsHandle ns = template.resolver().resolve(reference)) {
            return ns.id();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
