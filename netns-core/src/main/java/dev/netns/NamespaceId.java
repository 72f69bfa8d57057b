package dev.netns;

/**
 * The identity of a namespace: the device and inode of its nsfs file. It identifies a namespace
 * only while someone holds the namespace alive: the kernel reuses inode numbers once a namespace
 * is freed.
 *
 * @param device {@code st_dev} of the namespace file
 * @param inode {@code st_ino} of the namespace file
 */
public record NamespaceId(long device, long inode) {

    /** {@code "dev:ino"}, as in the Go package's unique id. */
    @Override
    public String toString() {
        return device + ":" + inode;
    }
}
