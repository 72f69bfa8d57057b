package dev.netns.sample.echo;

import java.time.Instant;

/**
 * A running echo server.
 *
 * @param reference the reference it was started with
 * @param namespace the id of the namespace it listens in, {@code dev:ino}
 * @param address the address it listens on inside that namespace
 * @param port its TCP port
 * @param connections connections open now
 * @param served connections served since it started
 * @param startedAt when it started
 */
public record EchoInfo(String reference, String namespace, String address, int port, int connections, long served,
        Instant startedAt) {
}
