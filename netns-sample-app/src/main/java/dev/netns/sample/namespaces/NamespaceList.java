package dev.netns.sample.namespaces;

import dev.netns.sample.docker.ContainerList;
import dev.netns.sample.echo.EchoInfo;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code GET /api/namespaces} lists.
 *
 * @param host the id of this JVM's own namespace
 * @param named the named namespaces, like {@code ip netns list}
 * @param containers the running Docker containers, or why there are none
 * @param aliases the aliases of {@code netns.namespaces.*}
 * @param echoServers the echo servers running
 */
public record NamespaceList(String host, List<Named> named, ContainerList containers, List<Alias> aliases,
        List<EchoInfo> echoServers) {

    /**
     * A named namespace.
     *
     * @param name its name
     * @param reference {@code name:NAME}
     * @param namespace its id, or {@code null} when it could not be opened (a stale file, or one
     *     deleted meanwhile)
     * @param hostInterface the host end of the veth pair the sample gave it, if any
     * @param echo its echo server, if one runs
     */
    public record Named(String name, String reference, @Nullable String namespace, @Nullable String hostInterface,
            @Nullable EchoInfo echo) {
    }

    /**
     * An alias.
     *
     * @param alias its name, usable wherever a reference is
     * @param reference what it stands for
     */
    public record Alias(String alias, String reference) {
    }
}
