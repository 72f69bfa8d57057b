package dev.netns.sample.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.netns.spring.boot.autoconfigure.NetnsProperties;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Lists the running containers, when Docker references are on. An engine that does not answer
 * makes an empty list with the reason, and is not asked again for a while, so the dashboard's
 * refreshes never wait on a dead engine.
 *
 * <p>The listing client bounds every request itself ({@link #listingClient}: a connect and a
 * response timeout), unlike the starter's client, which has no response timeout because it also
 * carries the event stream. A listing the engine never answers ends at the bound with its
 * connection closed, so it holds no thread and no later listing waits behind it.
 */
public class ContainerCatalog implements AutoCloseable {

    static final Duration FAILURE_MEMORY = Duration.ofSeconds(10);

    private final @Nullable DockerClient client;
    private final Clock clock;
    private volatile @Nullable Failure lastFailure;

    /**
     * @param client the client to list with, which bounds its own requests (see {@link #listingClient});
     *     null when Docker references are off. The catalog closes it.
     */
    public ContainerCatalog(@Nullable DockerClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * A client for the engine of {@code netns.docker.*} (the starter's engine) that waits at most
     * {@code netns.docker.connect-timeout} to connect and {@code netns.docker.response-timeout}
     * for the engine to answer.
     */
    public static DockerClient listingClient(NetnsProperties.Docker engine) {
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (engine.getHost() != null) {
            config.withDockerHost(engine.getHost());
        }
        DefaultDockerClientConfig built = config.build();
        return DockerClientImpl.getInstance(built, new ZerodepDockerHttpClient.Builder()
                .dockerHost(built.getDockerHost())
                .sslConfig(built.getSSLConfig())
                .connectionTimeout(engine.getConnectTimeout())
                .responseTimeout(engine.getResponseTimeout())
                .build());
    }

    /** The running containers, or an unavailable list saying why. */
    public ContainerList list() {
        DockerClient docker = client;
        if (docker == null) {
            return ContainerList.unavailable("Docker references are off (netns.docker.enabled=false; the sample turns"
                    + " them off when there was no Docker socket at start-up)");
        }
        Failure failure = lastFailure;
        if (failure != null && clock.instant().isBefore(failure.at.plus(FAILURE_MEMORY))) {
            return ContainerList.unavailable(failure.message);
        }
        try {
            List<ContainerInfo> items = new ArrayList<>();
            for (Container container : docker.listContainersCmd().exec()) {
                items.add(describe(container));
            }
            items.sort(Comparator.comparing(ContainerInfo::name));
            lastFailure = null;
            return new ContainerList(true, null, items);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // the caller was stopped, not the engine: nothing to remember for the next caller
                return ContainerList.unavailable("Interrupted while listing the containers");
            }
            String message = "No Docker engine answers: " + rootMessage(e);
            lastFailure = new Failure(clock.instant(), message);
            return ContainerList.unavailable(message);
        }
    }

    /** Closes the listing client. */
    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
    }

    private static ContainerInfo describe(Container container) {
        String id = container.getId().length() > 12 ? container.getId().substring(0, 12) : container.getId();
        String[] names = container.getNames();
        String name = names != null && names.length > 0 ? names[0].replaceFirst("^/", "") : id;
        String image = container.getImage() != null ? container.getImage() : "";
        return new ContainerInfo(id, name, image, "docker:" + name);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private record Failure(Instant at, String message) {
    }
}
