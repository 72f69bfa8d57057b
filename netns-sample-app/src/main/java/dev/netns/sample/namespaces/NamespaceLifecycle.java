package dev.netns.sample.namespaces;

import dev.netns.NamespaceExistsException;
import dev.netns.NamespaceId;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.NsHandle;
import dev.netns.sample.echo.EchoServers;
import dev.netns.sample.net.Cidr;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and deletes named namespaces: the namespace itself through {@link NamespaceTemplate}
 * (the caller's thread never moves), {@code lo} brought up, and optionally a veth pair to the
 * host with addresses on both ends. A creation that fails half-way is undone.
 */
public class NamespaceLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NamespaceLifecycle.class);

    private final NamespaceTemplate template;
    private final IpCommand ip;
    private final VethLinks veths;
    private final HostAddressCheck hostAddresses;
    private final EchoServers echoServers;

    public NamespaceLifecycle(NamespaceTemplate template, IpCommand ip, VethLinks veths, HostAddressCheck hostAddresses,
            EchoServers echoServers) {
        this.template = template;
        this.ip = ip;
        this.veths = veths;
        this.hostAddresses = hostAddresses;
        this.echoServers = echoServers;
    }

    /**
     * Creates a named namespace with {@code lo} up and, when {@code veth} is true, a veth pair to
     * the host carrying the addresses given.
     *
     * @throws IllegalArgumentException for a bad name or address
     * @throws dev.netns.NamespaceExistsException when the name is taken
     */
    public CreatedNamespace create(String name, boolean veth, @Nullable Cidr hostAddress, @Nullable Cidr namespaceAddress) {
        NamespaceNames.requireValidNewName(name);
        // The name first: a taken name is the conflict to report, not its own veth's address.
        if (template.runtime().listNamed().contains(name)) {
            throw new NamespaceExistsException("Named namespace '" + name + "' exists already in " + template.runtime().runDirectory());
        }
        if (hostAddress != null) {
            hostAddresses.check(hostAddress);
        }
        NamespaceId id;
        try (NsHandle ns = template.createNamed(name)) {
            id = ns.id();
        }
        try {
            ip.run("-n", name, "link", "set", "lo", "up");
            String hostEnd = veth ? veths.create(name, hostAddress, namespaceAddress) : null;
            log.info("created namespace {} ({}){}", name, id, hostEnd != null ? " with veth " + hostEnd : "");
            return new CreatedNamespace(name, NamespaceReference.name(name).toString(), String.valueOf(id), hostEnd,
                    hostEnd != null ? VethLinks.NAMESPACE_END : null);
        } catch (RuntimeException e) {
            if (veth) {
                veths.delete(name);
            }
            try {
                template.deleteNamed(name);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Deletes a named namespace: stops its echo server, removes the host end of its veth pair,
     * deletes the name and retires the executor pinned to it, so that nothing of the sample keeps
     * the namespace alive.
     *
     * @param nameOrReference a name, or a {@code name:} reference
     * @throws IllegalArgumentException for a malformed name, or a reference that is not a name
     * @throws dev.netns.NamespaceNotFoundException when no such name exists
     */
    public void delete(String nameOrReference) {
        NamespaceReference reference = NamespaceReference.parse(nameOrReference);
        if (!reference.scheme().equals("name")) {
            throw new IllegalArgumentException("Only named namespaces can be deleted, and '" + nameOrReference
                    + "' is a " + reference.scheme() + ": reference");
        }
        String name = reference.value();
        NamespaceId id;
        try (NsHandle ns = template.resolver().resolve(reference)) {
            id = ns.id();
        }
        echoServers.stopAll(id);
        veths.delete(name);
        template.deleteNamed(name);
        template.executors().retire(id);
        log.info("deleted namespace {} ({})", name, id);
    }
}
