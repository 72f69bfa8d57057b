package dev.netns.sample.echo;

import dev.netns.NamespaceId;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.sample.SampleProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The running echo servers, at most one per namespace. The listening socket is opened by a
 * callback on the namespace's pinned worker ({@link NamespaceTemplate#execute}), so it belongs
 * to that namespace; everything after that happens on host-namespace threads.
 */
public class EchoServers implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EchoServers.class);

    private final NamespaceTemplate template;
    private final SampleProperties.Echo settings;
    private final Map<NamespaceId, EchoServer> servers = new ConcurrentHashMap<>();

    public EchoServers(NamespaceTemplate template, SampleProperties.Echo settings) {
        this.template = template;
        this.settings = settings;
    }

    /**
     * Starts an echo server inside the namespace a reference points to.
     *
     * @param address the address to listen on there, or {@code null} for all of its addresses
     *     (loopback in the host namespace, where only loopback is allowed)
     * @param port the port, 1 to 65535, or 0 for any free one
     * @throws EchoConflictException when one runs there already, the limit is reached, or the
     *     address cannot be bound
     */
    public synchronized EchoInfo start(String reference, @Nullable InetAddress address, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (0 to 65535, 0 for any free port)");
        }
        NamespaceId id = idOf(reference);
        if (id.equals(Netns.hostId())) {
            // The host namespace has the machine's real interfaces: keep the echo server off them.
            if (address == null) {
                address = InetAddress.getLoopbackAddress();
            } else if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("In the host namespace an echo server listens on loopback only, not on "
                        + address.getHostAddress());
            }
        }
        EchoServer running = servers.get(id);
        if (running != null) {
            throw new EchoConflictException("An echo server already runs in " + reference + " on port "
                    + running.info().port() + ": stop it first");
        }
        if (servers.size() >= settings.getMaxServers()) {
            throw new EchoConflictException(servers.size() + " echo servers run already, the most allowed"
                    + " (sample.echo.max-servers): stop one first");
        }
        InetAddress bindAddress = address;
        ServerSocket socket = template.execute(reference, ns -> bind(bindAddress, port, reference));
        EchoServer server = new EchoServer(socket, template.referenceOf(reference).toString(), id, settings.getMaxConnections(),
                settings.getIdleTimeout());
        servers.put(id, server);
        EchoInfo info = server.info();
        log.info("echo server listening on {} port {} in {} ({})", info.address(), info.port(), reference, id);
        return info;
    }

    private static ServerSocket bind(@Nullable InetAddress address, int port, String reference) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port), 50);
            return socket;
        } catch (IOException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // failing anyway
                }
            }
            throw new EchoConflictException("Cannot listen on " + (address == null ? "*" : address.getHostAddress()) + ":"
                    + port + " in " + reference + ": " + e.getMessage());
        }
    }

    /**
     * Stops the echo server inside the namespace a reference points to.
     *
     * @throws EchoNotRunningException when none runs there
     */
    public synchronized EchoInfo stop(String reference) {
        EchoServer server = servers.remove(idOf(reference));
        if (server == null) {
            throw new EchoNotRunningException("No echo server runs in " + reference);
        }
        EchoInfo info = server.info();
        server.stop();
        log.info("echo server on port {} in {} stopped", info.port(), reference);
        return info;
    }

    /** Stops the echo server in a namespace, if one runs there. */
    public synchronized void stopAll(NamespaceId namespace) {
        EchoServer server = servers.remove(namespace);
        if (server != null) {
            server.stop();
        }
    }

    /** The echo server in a namespace, or {@code null}. */
    public @Nullable EchoInfo in(NamespaceId namespace) {
        EchoServer server = servers.get(namespace);
        return server != null ? server.info() : null;
    }

    /** Every running echo server, by reference. */
    public List<EchoInfo> list() {
        return servers.values().stream().map(EchoServer::info).sorted(Comparator.comparing(EchoInfo::reference)).toList();
    }

    private NamespaceId idOf(String reference) {
        try (NsHandle ns = template.resolve(reference)) {
            NamespaceId id = ns.id();
            if (id == null) {
                throw new IllegalStateException("no id for " + reference);
            }
            return id;
        }
    }

    @Override
    public synchronized void destroy() {
        servers.values().forEach(EchoServer::stop);
        servers.clear();
    }
}
