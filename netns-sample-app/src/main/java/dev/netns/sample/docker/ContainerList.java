package dev.netns.sample.docker;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The running containers, or why there are none to show.
 *
 * @param available whether a Docker engine answered
 * @param error why not, when it did not
 * @param items the running containers, by name
 */
public record ContainerList(boolean available, @Nullable String error, List<ContainerInfo> items) {

    static ContainerList unavailable(String why) {
        return new ContainerList(false, why, List.of());
    }
}
