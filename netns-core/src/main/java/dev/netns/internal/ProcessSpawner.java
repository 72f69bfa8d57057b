package dev.netns.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.StringArray;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a child process with {@code posix_spawnp} from the calling thread, so the child is born in
 * that thread's network namespace, and hands it to the {@link ChildReaper}: no JVM thread is
 * started for it on the calling thread, unlike {@code ProcessBuilder.start}, which may start one of
 * the JDK's process-reaper threads there. Follows the builder as the JDK does: command, environment,
 * directory, the three redirects and {@code redirectErrorStream}. The child gets an empty signal
 * mask and no descriptor but 0, 1 and 2.
 */
public final class ProcessSpawner {

    private static final int O_WRONLY = 1;
    private static final int O_TRUNC = 0x200;
    private static final int O_APPEND = 0x400;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int SIGKILL = 9;

    private ProcessSpawner() {
    }

    /**
     * Starts the builder's command from the calling thread.
     *
     * @throws IOException as {@code ProcessBuilder.start} does: the program cannot be run, a
     *     redirect's file cannot be opened (the message names the errno)
     */
    public static Process spawn(ProcessBuilder builder) throws IOException {
        Linux.require();
        List<String> command = new ArrayList<>(builder.command());
        if (command.isEmpty()) {
            throw new IndexOutOfBoundsException("The command is empty");
        }
        for (String argument : command) {
            if (argument == null) {
                throw new NullPointerException("A command argument is null");
            }
            if (argument.indexOf('\0') >= 0) {
                throw new IOException("invalid null character in command");
            }
        }
        File directory = builder.directory();
        List<String> environment = new ArrayList<>();
        for (Map.Entry<String, String> variable : builder.environment().entrySet()) {
            environment.add(variable.getKey() + "=" + variable.getValue());
        }
        List<Closeable> toClose = new ArrayList<>(); // the child's ends, and ours until the streams own them
        List<Closeable> streams = new ArrayList<>();
        try (Memory fileActions = new Memory(1024); Memory attributes = new Memory(1024); Memory sigset = new Memory(256)) {
            Actions actions = new Actions(fileActions, command.get(0));
            actions.check(SpawnLibC.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            actions.check(SpawnLibC.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try {
                SpawnLibC.sigemptyset(sigset);
                actions.check(SpawnLibC.posix_spawnattr_setsigmask(attributes, sigset), "posix_spawnattr_setsigmask");
                actions.check(SpawnLibC.posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
                OutputStream stdin = input(builder.redirectInput(), actions, toClose, streams);
                InputStream stdout = output(builder.redirectOutput(), 1, actions, toClose, streams);
                InputStream stderr;
                if (builder.redirectErrorStream()) {
                    actions.dup2(1, 2);
                    stderr = InputStream.nullInputStream();
                } else {
                    stderr = output(builder.redirectError(), 2, actions, toClose, streams);
                }
                if (directory != null) {
                    actions.check(SpawnLibC.posix_spawn_file_actions_addchdir_np(fileActions, directory.getPath()),
                            "posix_spawn_file_actions_addchdir_np");
                }
                actions.check(SpawnLibC.posix_spawn_file_actions_addclosefrom_np(fileActions, 3),
                        "posix_spawn_file_actions_addclosefrom_np");
                int[] pid = new int[1];
                int errno = SpawnLibC.posix_spawnp(pid, command.get(0), fileActions, attributes,
                        new StringArray(command.toArray(new String[0])), new StringArray(environment.toArray(new String[0])));
                if (errno != 0) {
                    throw Errno.startFailure(command.get(0), directory == null ? null : directory.getPath(), null, errno);
                }
                SpawnedProcess process = new SpawnedProcess(pid[0], pidfd(pid[0]), stdin, stdout, stderr);
                ChildReaper.instance().register(process);
                streams.clear(); // the process owns them now
                return process;
            } finally {
                SpawnLibC.posix_spawn_file_actions_destroy(fileActions);
                SpawnLibC.posix_spawnattr_destroy(attributes);
            }
        } finally {
            closeAll(toClose);
            closeAll(streams);
        }
    }

    /** The child's file actions, each checked. */
    private record Actions(Memory fileActions, String program) {

        void dup2(int fd, int target) throws IOException {
            check(SpawnLibC.posix_spawn_file_actions_adddup2(fileActions, fd, target), "posix_spawn_file_actions_adddup2");
        }

        /** Opens {@code file} onto {@code target}, relative to this JVM's working directory as the JDK does. */
        void open(int target, File file, int flags, int mode) throws IOException {
            check(SpawnLibC.posix_spawn_file_actions_addopen(fileActions, target, file.getAbsolutePath(), flags, mode),
                    "posix_spawn_file_actions_addopen");
        }

        void check(int errno, String function) throws IOException {
            if (errno != 0) {
                throw Errno.startFailure(program, null, function, errno);
            }
        }
    }

    /**
     * A pidfd of the new child. Should that fail (a kernel before 5.3), the child is killed and
     * reaped at once: there would be no way to reap it later.
     */
    private static int pidfd(int pid) {
        int fd = Syscalls.tryPidfdOpen(pid, 0);
        if (fd < 0) {
            int errno = -fd;
            SpawnLibC.kill(pid, SIGKILL);
            SpawnLibC.waitpid(pid, new int[1], 0);
            throw Errno.failure("pidfd_open", "pid=" + pid, errno, "Cannot watch the started process (Linux 5.3 or later is needed)");
        }
        return fd;
    }

    /** stdin: a pipe whose write end this side gets as a stream, a file, or this JVM's own. */
    private static OutputStream input(Redirect redirect, Actions actions, List<Closeable> toClose, List<Closeable> streams)
            throws IOException {
        switch (redirect.type()) {
            case PIPE: {
                int[] pipe = pipe(toClose);
                // opened while this side still holds the read end: opening a pipe to write waits for a reader
                FileOutputStream pipeEnd = new FileOutputStream("/proc/self/fd/" + pipe[1]);
                OutputStream stream = new ProcessPipes.Output(pipeEnd, new BufferedOutputStream(pipeEnd));
                streams.add(stream);
                actions.dup2(pipe[0], 0);
                return stream;
            }
            case READ:
                actions.open(0, redirect.file(), Syscalls.O_RDONLY, 0);
                return new SpawnedProcess.ClosedOutputStream();
            default: // INHERIT
                return new SpawnedProcess.ClosedOutputStream();
        }
    }

    /** stdout or stderr: a pipe whose read end this side gets as a stream, a file, or this JVM's own. */
    private static InputStream output(Redirect redirect, int target, Actions actions, List<Closeable> toClose,
            List<Closeable> streams) throws IOException {
        switch (redirect.type()) {
            case PIPE: {
                int[] pipe = pipe(toClose);
                // buffered as the JDK's, and so never asked for a size or position a pipe does not have
                InputStream stream = new ProcessPipes.Input(new BufferedInputStream(new FileInputStream("/proc/self/fd/" + pipe[0])));
                streams.add(stream);
                actions.dup2(pipe[1], target);
                return stream;
            }
            case WRITE:
            case APPEND:
                boolean append = redirect.type() == Redirect.Type.APPEND;
                actions.open(target, redirect.file(), O_WRONLY | Syscalls.O_CREAT | (append ? O_APPEND : O_TRUNC), 0666);
                return InputStream.nullInputStream();
            default: // INHERIT
                return InputStream.nullInputStream();
        }
    }

    private static int[] pipe(List<Closeable> toClose) {
        int[] pipe = new int[2];
        if (SpawnLibC.pipe2(pipe, Syscalls.O_CLOEXEC) != 0) {
            throw Errno.failure("pipe2", "O_CLOEXEC", Native.getLastError(), "Cannot start a process");
        }
        toClose.add(() -> Syscalls.closeQuietly(pipe[0]));
        toClose.add(() -> Syscalls.closeQuietly(pipe[1]));
        return pipe;
    }

    private static void closeAll(List<Closeable> closeables) {
        for (Closeable closeable : closeables) {
            try {
                closeable.close();
            } catch (IOException e) {
                // releasing on the way out: nothing to tell
            }
        }
    }
}
