package dev.netns.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.netns.AmbiguousNamespaceReferenceException;
import dev.netns.NamespaceNotFoundException;
import dev.netns.NamespaceUnavailableException;
import dev.netns.NetnsException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Asks the engine which running container a reference (full id, id prefix or name) means, and
 * turns each answer it can give into a typed exception that says what was wrong.
 */
final class ContainerLookup {

    private static final int MAX_LISTED = 10;

    /**
     * A running container as the engine described it.
     *
     * @param id the full id
     * @param name the name without the leading {@code /}, or empty
     * @param pid the main process ({@code State.Pid}), positive
     * @param shown the container for messages: {@code Container 'web' (0123456789ab)}
     */
    record RunningContainer(String id, String name, int pid, String shown) {
    }

    private final DockerConnection connection;

    ContainerLookup(DockerConnection connection) {
        this.connection = connection;
    }

    /**
     * The running container {@code key} names.
     *
     * @throws NamespaceNotFoundException when no container matches, or it is not running
     * @throws AmbiguousNamespaceReferenceException when {@code key} is a prefix of several ids, listing them
     * @throws NamespaceUnavailableException when the engine cannot be reached or fails
     * @throws NetnsException when the engine refuses the request
     */
    RunningContainer find(String key) {
        InspectContainerResponse container = inspect(key);
        String id = container.getId();
        String name = stripSlash(container.getName());
        String shown = "Container '" + (name.isEmpty() ? key : name) + "' (" + shortId(id) + ")";
        InspectContainerResponse.ContainerState state = container.getState();
        Long pid = state != null ? state.getPidLong() : null;
        if (state == null || !Boolean.TRUE.equals(state.getRunning()) || pid == null || pid <= 0) {
            throw new NamespaceNotFoundException(shown + " is not running (status: "
                    + (state != null ? state.getStatus() : "unknown") + "): it has no network namespace");
        }
        return new RunningContainer(id, name, pid.intValue(), shown);
    }

    private InspectContainerResponse inspect(String key) {
        try {
            return connection.call("inspect container '" + key + "'", client -> client.inspectContainerCmd(key).exec());
        } catch (NotFoundException e) {
            throw new NamespaceNotFoundException("No container '" + key + "' at " + connection.description()
                    + " (no id, name or id prefix matches)", e);
        } catch (DockerException e) {
            String message = String.valueOf(e.getMessage());
            if (message.toLowerCase(Locale.ROOT).contains("multiple ids found")) {
                throw ambiguous(key, e);
            }
            if (e.getHttpStatus() >= 500) {
                throw new NamespaceUnavailableException("The Docker daemon at " + connection.description()
                        + " failed to inspect container '" + key + "' (HTTP " + e.getHttpStatus() + "): " + message.strip(), e);
            }
            throw new NetnsException("The Docker daemon at " + connection.description() + " refused to inspect container '"
                    + key + "' (HTTP " + e.getHttpStatus() + "): " + message.strip(), e);
        }
    }

    private AmbiguousNamespaceReferenceException ambiguous(String prefix, DockerException cause) {
        String matches;
        try {
            List<Container> containers = connection.call("list containers",
                    client -> client.listContainersCmd().withShowAll(true).exec());
            List<String> found = containers.stream()
                    .filter(c -> c.getId() != null && c.getId().startsWith(prefix))
                    .map(c -> c.getId() + namesOf(c))
                    .sorted()
                    .toList();
            matches = found.size() + " containers: " + found.stream().limit(MAX_LISTED).collect(Collectors.joining(", "))
                    + (found.size() > MAX_LISTED ? ", and " + (found.size() - MAX_LISTED) + " more" : "");
        } catch (RuntimeException e) {
            matches = "several containers (listing them failed: " + e.getMessage() + ")";
        }
        return new AmbiguousNamespaceReferenceException("Container id prefix '" + prefix + "' at " + connection.description()
                + " is ambiguous: it matches " + matches + "; give more of the id, or the name", cause);
    }

    private static String namesOf(Container container) {
        String[] names = container.getNames();
        if (names == null || names.length == 0) {
            return "";
        }
        return " (" + Arrays.stream(names).map(ContainerLookup::stripSlash).collect(Collectors.joining(", ")) + ")";
    }

    /** A container name as the engine gives it ({@code /web}) without its leading slash; empty for null. */
    static String stripSlash(@Nullable String name) {
        if (name == null) {
            return "";
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
