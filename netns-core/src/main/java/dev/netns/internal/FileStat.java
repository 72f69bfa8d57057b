package dev.netns.internal;

import dev.netns.NamespaceId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What {@code statx(2)} says about a file: its type, identity (device and inode), the mount it is
 * on and whether it is that mount's root, and when its inode last changed.
 *
 * @param mode {@code stx_mode}: file type and permission bits
 * @param id the device and inode ({@code st_dev}, {@code st_ino})
 * @param mountId {@code stx_mnt_id}, the id of the mount the file was found on: its unique 64-bit id
 *     where the kernel has one (Linux 6.8), else the reusable id {@code /proc/self/mountinfo} shows
 * @param uniqueMountId whether {@code mountId} is the unique id ({@code STATX_MNT_ID_UNIQUE}), which
 *     {@code statmount(2)} takes
 * @param mountRoot whether the file is the root of its mount (something is mounted there)
 * @param changedNanos {@code stx_ctime} in nanoseconds since the epoch
 */
public record FileStat(int mode, NamespaceId id, long mountId, boolean uniqueMountId, boolean mountRoot, long changedNanos) {

    static final int SIZE = 256;
    private static final int STATX_MNT_ID_UNIQUE = 0x4000;
    static final int MASK = 0x1 | 0x2 | 0x80 | 0x100 | 0x1000 | STATX_MNT_ID_UNIQUE; // TYPE | MODE | CTIME | INO | MNT_ID

    private static final int S_IFMT = 0xf000;
    private static final int S_IFREG = 0x8000;
    private static final int S_IFLNK = 0xa000;
    private static final int S_IFDIR = 0x4000;
    private static final long STATX_ATTR_MOUNT_ROOT = 0x2000;

    /** Reads a {@code struct statx} (the same layout on every architecture). */
    static FileStat parse(byte[] statx) {
        ByteBuffer buffer = ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder());
        boolean uniqueMountId = (buffer.getInt(0) & STATX_MNT_ID_UNIQUE) != 0;
        long attributes = buffer.getLong(8);
        long attributesMask = buffer.getLong(56);
        int mode = buffer.getShort(28) & 0xffff;
        long inode = buffer.getLong(32);
        long ctime = buffer.getLong(96) * 1_000_000_000L + (buffer.getInt(104) & 0xffffffffL);
        long device = Syscalls.makedev(buffer.getInt(136), buffer.getInt(140));
        long mountId = buffer.getLong(144);
        boolean mountRoot = (attributesMask & STATX_ATTR_MOUNT_ROOT) != 0 && (attributes & STATX_ATTR_MOUNT_ROOT) != 0;
        return new FileStat(mode, new NamespaceId(device, inode), mountId, uniqueMountId, mountRoot, ctime);
    }

    /** A regular file. */
    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** A symbolic link (seen only when not followed). */
    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** A directory. */
    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /** The file type in words, for messages. */
    public String typeName() {
        switch (mode & S_IFMT) {
            case S_IFREG:
                return "a regular file";
            case S_IFLNK:
                return "a symbolic link";
            case S_IFDIR:
                return "a directory";
            case 0x1000:
                return "a FIFO";
            case 0x2000:
                return "a character device";
            case 0x6000:
                return "a block device";
            case 0xc000:
                return "a socket";
            default:
                return "a file of type 0" + Integer.toOctalString(mode & S_IFMT);
        }
    }
}
