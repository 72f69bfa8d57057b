package dev.netns;

import dev.netns.internal.HandleRegistry;
import dev.netns.internal.OwnedFd;
import dev.netns.internal.Syscalls;
import java.lang.ref.Cleaner;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An open file descriptor on a namespace, the Java form of the Go package's {@code NsHandle}.
 * Close it when done (try-with-resources); a handle that is garbage-collected while open is closed
 * for you, counted as leaked and logged, as the {@link NetnsRuntime} it was opened through says.
 * Closing is idempotent and never closes an fd twice.
 *
 * <p>A handle keeps its namespace alive while open, and its {@link #id()} (device and inode) after
 * it is closed. Two handles are {@link #equals equal} when they refer to the same namespace.
 */
public final class NsHandle implements AutoCloseable {

    private static final NsHandle NONE = new NsHandle();

    private final OwnedFd fd;
    private final @Nullable NamespaceId id;
    private final NamespaceType type;
    private final String source;
    private final Cleaner.@Nullable Cleanable cleanable;

    private NsHandle() {
        this.fd = new OwnedFd(-1);
        this.id = null;
        this.type = NamespaceType.NET;
        this.source = "none";
        this.cleanable = null;
    }

    private NsHandle(int fd, NamespaceId id, NamespaceType type, String source, HandleRegistry registry) {
        this.fd = new OwnedFd(fd);
        this.id = id;
        this.type = type;
        this.source = source;
        this.cleanable = registry.register(this, this.fd, "NS(" + id + ")", type, source);
    }

    /**
     * Opens a namespace file, checks it is one, and registers the handle with a runtime's registry
     * ({@link NetnsRuntime} is the way in).
     *
     * @param path the namespace file
     * @param source where it comes from, for {@link NetnsRuntime#openHandles()} ({@code name:blue})
     * @param expected the type to assume when the kernel cannot tell (before Linux 4.11)
     * @param context what is being done, for error messages, or null
     */
    static NsHandle open(HandleRegistry registry, String path, String source, NamespaceType expected,
            @Nullable String context) {
        return adopt(registry, Syscalls.openNamespace(path, context), source, expected);
    }

    /**
     * Takes over an open namespace fd (closing it if the handle cannot be made) and registers the
     * handle.
     */
    static NsHandle adopt(HandleRegistry registry, int fd, String source, NamespaceType expected) {
        try {
            NamespaceType type = Syscalls.typeOf(fd);
            return new NsHandle(fd, Syscalls.idOf(fd), type != null ? type : expected, source, registry);
        } catch (RuntimeException | Error e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
    }

    /** The empty handle, Go's {@code None()}: fd -1, never open. */
    public static NsHandle none() {
        return NONE;
    }

    /** The file descriptor, or -1 when closed or none. */
    public int fd() {
        return fd.get();
    }

    /** Whether {@link #close()} has not been called (and this is not {@link #none()}). */
    public boolean isOpen() {
        return fd.get() >= 0;
    }

    /** The namespace type this handle refers to. */
    public NamespaceType type() {
        return type;
    }

    /** The namespace's device and inode; null for {@link #none()}, kept after close. */
    public @Nullable NamespaceId id() {
        return id;
    }

    /** Where the handle was opened from: {@code name:blue}, {@code pid:42}, {@code path:/...}, {@code current}... */
    public String source() {
        return source;
    }

    /** {@code NS(dev:ino)}, or {@code NS(none)} for none and once closed, exactly as Go's {@code UniqueId}. */
    public String uniqueId() {
        return isOpen() ? "NS(" + id + ")" : "NS(none)";
    }

    /**
     * Go's {@code Equal}: true for the same fd number (so {@code none().equal(none())}), or for two
     * open handles on the same namespace; false when either is closed and the fds differ.
     */
    public boolean equal(NsHandle other) {
        int mine = fd.get();
        int theirs = other.fd.get();
        if (mine == theirs) {
            return true;
        }
        return mine >= 0 && theirs >= 0 && Objects.equals(id, other.id);
    }

    /** Closes the fd. Idempotent; closing {@link #none()} does nothing. */
    @Override
    public void close() {
        int owned = fd.release();
        if (owned >= 0) {
            Syscalls.closeQuietly(owned);
        }
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    /** Same namespace ({@link #id()}), open or not; none handles equal each other. */
    @Override
    public boolean equals(@Nullable Object other) {
        return this == other || other instanceof NsHandle handle && Objects.equals(id, handle.id);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }

    /** {@code NS(fd: dev, ino)}, or {@code NS(none)} for none and once closed, exactly as Go's {@code String}. */
    @Override
    public String toString() {
        int current = fd.get();
        return current >= 0 && id != null ? "NS(" + current + ": " + id.device() + ", " + id.inode() + ")" : "NS(none)";
    }
}
