package dev.netns.internal;

import dev.netns.NamespaceId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * A name as its directory lists it ({@code getdents64(2)}): the inode number and file type the
 * directory entry holds are those of the file the directory itself has under that name, never of
 * anything mounted on it. So delete sees the file under a name's mount without a copy of the run
 * dir's mount ({@code open_tree}), whose teardown on close costs an RCU grace period, as much as
 * the unmount itself.
 */
final class DirectoryEntries {

    /** Room for about 1,300 entries with names as long as the benchmarks use: one syscall's worth. */
    private static final int BLOCK = 64 * 1024;
    private static final int DT_UNKNOWN = 0;
    private static final int NAME_OFFSET = 19; // u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type
    private static final byte[] DOT = {'.', 0};

    private DirectoryEntries() {
    }

    /**
     * The file a directory holds under a name, whatever is mounted on it, as far as the start of its
     * listing shows it.
     *
     * @param dirFd an fd of the directory (typically {@code O_PATH})
     * @param dir what {@code statx} says of that fd
     * @param nativeName the name, NUL-terminated
     * @return the file's type and identity (device of the directory, inode of the entry); null when
     *     the listing cannot say: the name is not in its first block, the filesystem gives no type
     *     ({@code DT_UNKNOWN}), or its inode numbers are not those {@code statx} gives (checked on
     *     the directory's own {@code .} entry)
     */
    static @Nullable FileStat fileUnder(int dirFd, FileStat dir, byte[] nativeName) {
        byte[] block = new byte[BLOCK];
        int length = Syscalls.readDirectoryStart(dirFd, block);
        if (length <= 0) {
            return null;
        }
        ByteBuffer entries = ByteBuffer.wrap(block, 0, length).order(ByteOrder.nativeOrder());
        int nameLength = nativeName.length - 1; // without the NUL
        boolean sameInodes = false;
        long inode = -1;
        int type = DT_UNKNOWN;
        for (int at = 0; at + NAME_OFFSET < length; ) {
            int recordLength = entries.getShort(at + 16) & 0xffff;
            if (recordLength <= NAME_OFFSET || at + recordLength > length) {
                return null; // not a record as the kernel writes them: take nothing from it
            }
            if (isName(block, at + NAME_OFFSET, recordLength - NAME_OFFSET, DOT, 1)) {
                sameInodes = entries.getLong(at) == dir.id().inode();
            } else if (isName(block, at + NAME_OFFSET, recordLength - NAME_OFFSET, nativeName, nameLength)) {
                inode = entries.getLong(at);
                type = block[at + 18] & 0xff;
            }
            at += recordLength;
        }
        if (!sameInodes || inode < 0 || type == DT_UNKNOWN) {
            return null;
        }
        // DT_* is the S_IFMT file type shifted right by 12 bits.
        return new FileStat(type << 12, new NamespaceId(dir.id().device(), inode), dir.mountId(), dir.uniqueMountId(),
                false, 0);
    }

    /** Whether the NUL-terminated name at {@code offset} (in a record of {@code room} bytes) is {@code name}. */
    private static boolean isName(byte[] block, int offset, int room, byte[] name, int nameLength) {
        if (nameLength >= room || block[offset + nameLength] != 0) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            if (block[offset + i] != name[i]) {
                return false;
            }
        }
        return true;
    }
}
