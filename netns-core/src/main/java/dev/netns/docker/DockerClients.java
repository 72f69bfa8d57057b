package dev.netns.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Makes the client a resolver talks through when it was given none, as Testcontainers'
 * {@code DockerClientFactory} does: docker-java's default configuration ({@code DOCKER_HOST},
 * the default socket) and the zerodep transport.
 *
 * <p>The client has a connect timeout and no response timeout: the container event stream is a
 * response that stays open while the engine has nothing to say, and over TCP a response timeout
 * would end it at each quiet spell (measured with docker-java 3.7.0; over a unix socket zerodep
 * applies no response timeout at all). The resolver bounds how long it waits for each request itself.
 */
final class DockerClients {

    private DockerClients() {
    }

    /**
     * A client for the engine at {@code host}, or at {@code DOCKER_HOST} or the default socket when null.
     *
     * @throws RuntimeException from docker-java when the host or its configuration is malformed
     */
    static DockerClient create(@Nullable String host, Duration connectTimeout) {
        DockerClientConfig config = config(host);
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(connectTimeout)
                .build());
    }

    /** The engine {@link #create} talks to, for messages ({@code unix:///var/run/docker.sock}). */
    static String describe(@Nullable String host) {
        if (host != null) {
            return host;
        }
        try {
            return config(null).getDockerHost().toString();
        } catch (RuntimeException e) {
            String env = System.getenv("DOCKER_HOST");
            return env != null ? env : "the default Docker host";
        }
    }

    private static DockerClientConfig config(@Nullable String host) {
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (host != null) {
            config.withDockerHost(host);
        }
        return config.build();
    }
}
