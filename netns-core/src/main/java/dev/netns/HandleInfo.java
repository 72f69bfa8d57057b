package dev.netns;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An open {@link NsHandle}, as {@link Netns#openHandles()} reports it.
 *
 * @param fd the file descriptor
 * @param uniqueId {@code NS(dev:ino)}
 * @param type the namespace type
 * @param source where it was opened from: {@code name:blue}, {@code pid:42}, {@code path:/...}
 * @param openedAt when it was opened
 * @param thread the name of the thread that opened it
 * @param stackTrace the stack that opened it, when stack tracking is on, else {@code null}
 */
public record HandleInfo(int fd, String uniqueId, NamespaceType type, String source, Instant openedAt,
        String thread, @Nullable String stackTrace) {
}
