package dev.netns.sample.docker;

/**
 * A running container.
 *
 * @param id its short id (12 hex digits)
 * @param name its name, without Docker's leading '/'
 * @param image the image it runs
 * @param reference the netns reference to its namespace, {@code docker:NAME}
 */
public record ContainerInfo(String id, String name, String image, String reference) {
}
