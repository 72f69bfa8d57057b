package dev.netns.internal;

import dev.netns.NamespaceId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * A name as its directory lists it ({@code getdents64(2)}): the inode number and file type the
 * directory entry holds are those of the file the directory itself has under that name, never of
 * anything mounted on it. Delete's way to see the file under a name's mount where no copy of the
 * run dir's mount can be held ({@link RunDirUnderside}). The listing is read in small steps and only
 * as far as the name and the directory's own {@code .} entry, however far that is: delete takes a
 * name the listing says nothing of as it looks, so a cap on the reading would let a namespace on a
 * FIFO listed after it be detached. Its cost grows with the entries read (on ext4, whose hashed
 * directories are read whole on every open, with all of them), paid only where no copy is had.
 */
final class DirectoryEntries {

    /** One read: about 170 entries with names as long as the benchmarks use. */
    private static final int STEP = 8 * 1024;
    private static final int DT_UNKNOWN = 0;
    private static final int NAME_OFFSET = 19; // u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type
    private static final byte[] DOT = {'.', 0};

    private DirectoryEntries() {
    }

    /**
     * The file a directory holds under a name, whatever is mounted on it, as its listing shows it.
     *
     * @param dirFd an fd of the directory (typically {@code O_PATH})
     * @param dir what {@code statx} says of that fd
     * @param nativeName the name, NUL-terminated
     * @param errno set to the errno of an open or read of the listing that failed
     * @return the file's type and identity (device of the directory, inode of the entry); null when
     *     the listing cannot say: the name is not in it, the filesystem gives no type
     *     ({@code DT_UNKNOWN}), its inode numbers are not those {@code statx} gives (checked on the
     *     directory's own {@code .} entry, which may come before or after the name: ext4 lists in
     *     hash order) or it lists no {@code .}, or the listing could not be read ({@code errno})
     */
    static @Nullable FileStat fileUnder(int dirFd, FileStat dir, byte[] nativeName, int[] errno) {
        int fd = Syscalls.openForEntries(dirFd);
        if (fd < 0) {
            errno[0] = -fd;
            return null;
        }
        try {
            byte[] block = new byte[STEP];
            Boolean sameInodes = null; // known once '.' was read
            FileStat listed = null; // the name's entry, once read
            while (true) {
                int length = Syscalls.readEntries(fd, block);
                if (length <= 0) {
                    errno[0] = length < 0 ? -length : errno[0];
                    return null; // the end (the name is not listed), or a failed read
                }
                ByteBuffer entries = ByteBuffer.wrap(block, 0, length).order(ByteOrder.nativeOrder());
                for (int at = 0; at + NAME_OFFSET < length; ) {
                    int recordLength = entries.getShort(at + 16) & 0xffff;
                    if (recordLength <= NAME_OFFSET || at + recordLength > length) {
                        return null; // not a record as the kernel writes them: take nothing from it
                    }
                    int room = recordLength - NAME_OFFSET;
                    if (isName(block, at + NAME_OFFSET, room, DOT)) {
                        sameInodes = entries.getLong(at) == dir.id().inode();
                    } else if (isName(block, at + NAME_OFFSET, room, nativeName)) {
                        int type = block[at + 18] & 0xff;
                        if (type == DT_UNKNOWN) {
                            return null;
                        }
                        // DT_* is the S_IFMT file type shifted right by 12 bits.
                        listed = new FileStat(type << 12, new NamespaceId(dir.id().device(), entries.getLong(at)),
                                dir.mountId(), dir.uniqueMountId(), false, 0);
                    }
                    if (sameInodes != null && (listed != null || !sameInodes)) {
                        return sameInodes ? listed : null;
                    }
                    at += recordLength;
                }
            }
        } finally {
            Syscalls.closeQuietly(fd);
        }
    }

    /** Whether the NUL-terminated name at {@code offset} (in a record with {@code room} bytes for it) is {@code name}. */
    private static boolean isName(byte[] block, int offset, int room, byte[] name) {
        int length = name.length - 1; // without the NUL
        if (length >= room || block[offset + length] != 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (block[offset + i] != name[i]) {
                return false;
            }
        }
        return true;
    }
}
