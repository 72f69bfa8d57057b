package dev.netns.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Busybox containers for a test, with unique {@code nt-} names, removed after it, pass or fail.
 * Use as a {@code @RegisterExtension} field; {@link #on(String)} gives one for another engine.
 */
public final class DockerContainers implements AfterEachCallback {

    /** The image {@code scripts/setup-test-env.sh} imports. */
    public static final String IMAGE = System.getProperty("netns.test.docker-image", "netns-test/busybox:1");

    private static DockerClient defaultClient;

    private final Supplier<DockerClient> clients;
    private final List<String> ids = new ArrayList<>();

    /** Containers on the engine at DOCKER_HOST, or the default socket. */
    public DockerContainers() {
        this(DockerContainers::defaultClient);
    }

    private DockerContainers(Supplier<DockerClient> clients) {
        this.clients = clients;
    }

    /** Containers on a private daemon, through its current client; the caller removes them (or the daemon) itself. */
    public static DockerContainers on(PrivateDockerd daemon) {
        return new DockerContainers(daemon::client);
    }

    /** Copies the test image from the shared engine into this one (a private daemon starts empty). */
    public void loadTestImage() throws java.io.IOException {
        try (java.io.InputStream image = defaultClient().saveImageCmd(IMAGE).exec()) {
            client().loadImageCmd(image).exec();
        }
    }

    /** A client for the engine at DOCKER_HOST, or the default socket, shared by the tests. */
    public static synchronized DockerClient defaultClient() {
        if (defaultClient == null) {
            defaultClient = newClient(null);
        }
        return defaultClient;
    }

    /** A client with short timeouts for the given engine, or DOCKER_HOST/the default when null. */
    public static DockerClient newClient(String dockerHost) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (dockerHost != null) {
            builder.withDockerHost(dockerHost);
        }
        DockerClientConfig config = builder.build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(30))
                .build());
    }

    /** Why the default engine cannot serve the tests, or null when it can. */
    static String problem() {
        try {
            DockerClient docker = defaultClient();
            docker.pingCmd().exec();
            try {
                docker.inspectImageCmd(IMAGE).exec();
            } catch (NotFoundException e) {
                return "the engine has no image " + IMAGE;
            }
            return null;
        } catch (RuntimeException e) {
            return "no Docker engine answers: " + e;
        }
    }

    public DockerClient client() {
        return clients.get();
    }

    /** A unique container name, {@code nt-} and 10 hex digits. */
    public static String newName() {
        return "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Creates (without starting) a container running {@code sleep 3600}; returns its full id. */
    public synchronized String create(String name) {
        String id = client().createContainerCmd(IMAGE)
                .withName(name)
                .withCmd("sleep", "3600")
                .withStopSignal("SIGKILL") // busybox sleep as pid 1 ignores SIGTERM: do not wait for it
                .exec().getId();
        ids.add(id);
        return id;
    }

    /** Creates and starts a container running {@code sleep 3600}; returns its full id. */
    public String run(String name) {
        String id = create(name);
        client().startContainerCmd(id).exec();
        return id;
    }

    public InspectContainerResponse inspect(String id) {
        return client().inspectContainerCmd(id).exec();
    }

    /** The pid of the container's main process ({@code State.Pid}). */
    public int pid(String id) {
        Long pid = inspect(id).getState().getPidLong();
        return pid == null ? 0 : pid.intValue();
    }

    public void stop(String id) {
        client().stopContainerCmd(id).withTimeout(0).exec();
    }

    public void restart(String id) {
        client().restartContainerCmd(id).withTimeout(0).exec();
    }

    public void start(String id) {
        client().startContainerCmd(id).exec();
    }

    /** Removes every container this made, running or not. */
    public void removeAll() {
        List<String> toRemove;
        synchronized (this) {
            toRemove = new ArrayList<>(ids);
            ids.clear();
        }
        for (String id : toRemove) {
            try {
                client().removeContainerCmd(id).withForce(true).exec();
            } catch (NotFoundException e) {
                // already gone
            } catch (RuntimeException e) {
                System.err.println("cannot remove test container " + id + ": " + e);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        removeAll();
    }
}
