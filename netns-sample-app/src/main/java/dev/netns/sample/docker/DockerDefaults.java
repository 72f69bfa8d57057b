package dev.netns.sample.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The sample's default for {@code netns.docker.enabled}: on only when an engine can be there
 * ({@code DOCKER_HOST} is set or {@code /var/run/docker.sock} exists). A machine without Docker
 * then starts with Docker references off and a health that is UP, instead of a health that is
 * DOWN because an optional engine is missing. Configuration given by the user still wins.
 */
public final class DockerDefaults {

    static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    private DockerDefaults() {
    }

    /** Default properties for {@link org.springframework.boot.SpringApplication#setDefaultProperties(Properties)}. */
    public static Map<String, Object> properties() {
        return Map.of("netns.docker.enabled", engineMayAnswer(System.getenv("DOCKER_HOST"), DEFAULT_SOCKET));
    }

    static boolean engineMayAnswer(@Nullable String dockerHost, Path socket) {
        return (dockerHost != null && !dockerHost.isBlank()) || Files.exists(socket);
    }
}
