package dev.netns.sample.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Lists the running containers through the starter's {@link DockerClient}, when Docker
 * references are on. An engine that does not answer makes an empty list with the reason, and is
 * not asked again for a while, so the dashboard's refreshes never wait on a dead engine.
 */
public class ContainerCatalog {

    static final Duration FAILURE_MEMORY = Duration.ofSeconds(10);

    private final ObjectProvider<DockerClient> client;
    private final Clock clock;
    private volatile @Nullable Failure lastFailure;

    public ContainerCatalog(ObjectProvider<DockerClient> client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The running containers, or an unavailable list saying why. */
    public ContainerList list() {
        DockerClient docker = client.getIfAvailable();
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
            String message = "No Docker engine answers: " + rootMessage(e);
            lastFailure = new Failure(clock.instant(), message);
            return ContainerList.unavailable(message);
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
