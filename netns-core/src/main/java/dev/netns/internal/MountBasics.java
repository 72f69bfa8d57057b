package dev.netns.internal;

/**
 * What {@code statmount(2)} says of a mount ({@link Syscalls#mountBasics}).
 *
 * @param parentId the unique id of the mount it is mounted on (its own id for the root)
 * @param magic the {@code f_type} of its filesystem ({@link Syscalls#NSFS_MAGIC} for a namespace)
 * @param propagation its {@code MS_SHARED}, {@code MS_SLAVE}, {@code MS_PRIVATE} or {@code MS_UNBINDABLE} flags
 */
public record MountBasics(long parentId, long magic, long propagation) {

    /** Whether the mount is shared: mounts made under it propagate to its peers. */
    public boolean shared() {
        return (propagation & Syscalls.MS_SHARED) != 0;
    }
}
