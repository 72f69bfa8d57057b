package dev.netns.sample.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Lists the running containers through the starter's {@link DockerClient}, when Docker
 * references are on. An engine that does not answer makes an empty list with the reason, and is
 * not asked again for a while, so the dashboard's refreshes never wait on a dead engine.
 *
 * <p>The starter's client has no response timeout (its event stream is a response that stays
 * open), so the catalog bounds its own wait: the listing runs on the catalog's one thread, and a
 * caller waits for it at most {@code answerWithin}. A listing the engine never answers keeps that
 * thread until the engine answers or the connection breaks; later listings wait behind it and
 * their callers still give up at the bound.
 */
public class ContainerCatalog implements AutoCloseable {

    static final Duration FAILURE_MEMORY = Duration.ofSeconds(10);

    private final ObjectProvider<DockerClient> client;
    private final Clock clock;
    private final Duration answerWithin;
    private final ThreadPoolExecutor requests = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "sample-docker-list");
                thread.setDaemon(true);
                return thread;
            });
    private volatile @Nullable Failure lastFailure;

    /**
     * @param client the starter's client, absent when Docker references are off
     * @param answerWithin how long a listing waits for the engine
     */
    public ContainerCatalog(ObjectProvider<DockerClient> client, Clock clock, Duration answerWithin) {
        this.client = client;
        this.clock = clock;
        this.answerWithin = answerWithin;
        // started now, by the thread creating the bean, so it is born in this JVM's own namespaces
        // (a thread started later would be born in its caller's, wherever that caller is)
        requests.prestartCoreThread();
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
            for (Container container : running(docker)) {
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

    /** Stops the catalog's thread (a listing still waiting for the engine is interrupted). */
    @Override
    public void close() {
        requests.shutdownNow();
    }

    private List<Container> running(DockerClient docker) {
        Future<List<Container>> listing = requests.submit(() -> docker.listContainersCmd().exec());
        try {
            return listing.get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            listing.cancel(true);
            throw new IllegalStateException("no answer within " + answerWithin.toMillis() + " ms");
        } catch (InterruptedException e) {
            listing.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the engine");
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
