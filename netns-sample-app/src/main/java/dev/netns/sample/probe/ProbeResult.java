package dev.netns.sample.probe;

import org.jspecify.annotations.Nullable;

/**
 * What a probe found.
 *
 * @param reference the namespace it ran in
 * @param host the address it connected to
 * @param port the port
 * @param connected whether the TCP connection was made
 * @param connectMillis how long connecting took (or failing to)
 * @param sent the message sent after connecting, if any
 * @param received what came back within the timeout, if a message was sent
 * @param error why it did not connect, or why the exchange failed
 */
public record ProbeResult(String reference, String host, int port, boolean connected, double connectMillis,
        @Nullable String sent, @Nullable String received, @Nullable String error) {
}
