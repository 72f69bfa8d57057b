package dev.netns.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The kernel's file-descriptor mount API ({@code open_tree(2)}, {@code move_mount(2)}, Linux 5.2,
 * glibc 2.36), bound apart from {@link LibC} so that an older C library without these functions
 * leaves the rest of the bindings working: {@link #AVAILABLE} is then false and callers fall back
 * to {@code mount(2)} through {@code /proc/self/fd}.
 */
final class MountApi {

    static final int OPEN_TREE_CLONE = 1;
    static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    static final int MOVE_MOUNT_T_EMPTY_PATH = 0x40;

    /** Whether the C library has the functions (the kernel may still answer ENOSYS). */
    static final boolean AVAILABLE = register();

    private MountApi() {
    }

    private static boolean register() {
        try {
            Native.register(MountApi.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false;
        }
    }

    /**
     * {@code open_tree(2)}: with {@code OPEN_TREE_CLONE}, a detached copy of the mount at
     * {@code path} (or at {@code dirfd} itself with {@code AT_EMPTY_PATH}), as an fd.
     * Errors: ENOSYS (kernel before 5.2), EPERM, EINVAL.
     */
    static native int open_tree(int dirfd, String path, int flags);

    /**
     * {@code move_mount(2)}: attaches the detached tree {@code fromDirfd} onto the file
     * {@code toDirfd} refers to (with both {@code *_EMPTY_PATH} flags): that very file, whatever
     * holds its name by now. Errors: ENOENT (the file was unlinked), EPERM, EINVAL.
     */
    static native int move_mount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags);
}
