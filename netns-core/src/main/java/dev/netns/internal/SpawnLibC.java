package dev.netns.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc functions that start and reap child processes without the JDK ({@code posix_spawn(3)}
 * and friends, {@code pipe2}, {@code waitpid}, {@code kill}), bound with JNA
 * direct mapping like {@link LibC}. A child made by {@code posix_spawn} is born in the namespaces
 * of the calling <em>thread</em>. The {@code posix_spawn*} functions return an errno (0 on
 * success); the others return -1 with errno readable through {@link Native#getLastError()}.
 * Needs glibc 2.34 or later ({@code posix_spawn_file_actions_addclosefrom_np}).
 */
final class SpawnLibC {

    static {
        Native.register(SpawnLibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private SpawnLibC() {
    }

    /**
     * {@code posix_spawnp(3)}: starts {@code file} (searched in the parent's PATH) with the NULL-terminated
     * {@code argv} and {@code envp}, after the file actions; writes the child's pid. Returns 0 or an
     * errno: ENOENT, EACCES, ENOEXEC, E2BIG, ENOMEM, or that of a failed file action (EBADF, ENOENT...).
     */
    static native int posix_spawnp(int[] pid, String file, Pointer fileActions, Pointer attributes, Pointer argv,
            Pointer envp);

    /** {@code posix_spawn_file_actions_init(3)} on a {@code posix_spawn_file_actions_t}. Returns 0 or ENOMEM. */
    static native int posix_spawn_file_actions_init(Pointer fileActions);

    /** {@code posix_spawn_file_actions_destroy(3)}. */
    static native int posix_spawn_file_actions_destroy(Pointer fileActions);

    /** Adds {@code dup2(fd, newfd)} to the child's actions (a descriptor dup'ed onto itself loses close-on-exec). */
    static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd);

    /** Adds {@code open(path, flags, mode)} onto {@code fd} to the child's actions. */
    static native int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);

    /** Adds {@code chdir(path)} to the child's actions (glibc 2.29). */
    static native int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

    /** Adds closing every descriptor from {@code from} up to the child's actions (glibc 2.34). */
    static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    /** {@code posix_spawnattr_init(3)} on a {@code posix_spawnattr_t}. */
    static native int posix_spawnattr_init(Pointer attributes);

    /** {@code posix_spawnattr_destroy(3)}. */
    static native int posix_spawnattr_destroy(Pointer attributes);

    /** {@code posix_spawnattr_setflags(3)}: {@code POSIX_SPAWN_SETSIGMASK} and others. */
    static native int posix_spawnattr_setflags(Pointer attributes, short flags);

    /** {@code posix_spawnattr_setsigmask(3)}: the child's signal mask. */
    static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer sigset);

    /** {@code sigemptyset(3)} on a {@code sigset_t}. */
    static native int sigemptyset(Pointer sigset);

    /** {@code pipe2(2)}: a pipe, {@code fds[0]} to read, {@code fds[1]} to write. Errors: EMFILE, ENFILE. */
    static native int pipe2(int[] fds, int flags);

    /** {@code waitpid(2)}: reaps a child and writes its status. Errors: ECHILD, EINTR. */
    static native int waitpid(int pid, int[] status, int options);

    /** {@code kill(2)}. Errors: ESRCH, EPERM. */
    static native int kill(int pid, int signal);
}
