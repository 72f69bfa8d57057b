package dev.netns.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor owned by exactly one holder. {@link #release()} hands it over once, so it is
 * closed at most once, and never after its number may have been reused by someone else.
 */
public final class OwnedFd {

    private final AtomicInteger fd;

    public OwnedFd(int fd) {
        this.fd = new AtomicInteger(fd);
    }

    /** The fd, or -1 once released. */
    public int get() {
        return fd.get();
    }

    /** Gives up ownership: returns the fd the first time, -1 on every later call. */
    public int release() {
        return fd.getAndSet(-1);
    }
}
