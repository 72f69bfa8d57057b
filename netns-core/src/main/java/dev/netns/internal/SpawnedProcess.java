package dev.netns.internal;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process started by {@link ProcessSpawner} and reaped by the {@link ChildReaper}, with the
 * behaviour of the JDK's own: exit value 128+N when killed by signal N, {@code destroy()} sends
 * SIGTERM and {@code destroyForcibly()} SIGKILL, streams for the {@code PIPE} redirects (the others
 * give an empty input or a closed output stream) that let go of their pipes once it has exited
 * ({@link ProcessPipes}), {@link #onExit()} completed on the common pool.
 */
final class SpawnedProcess extends Process {

    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final int WNOHANG = 1;
    private static final Logger log = LoggerFactory.getLogger(SpawnedProcess.class);

    private final int pid;
    private final int pidfd;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private boolean reaped; // guarded by this: no signal once the pid may belong to another process
    private @Nullable ProcessHandle handle; // guarded by this: taken while the pid is still this child's
    private int exitValue;

    SpawnedProcess(int pid, int pidfd, OutputStream stdin, InputStream stdout, InputStream stderr) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** A {@code pidfd_open} descriptor of the child, readable once it has exited. */
    int pidfd() {
        return pidfd;
    }

    /**
     * Reaps the child if it has exited ({@code waitpid} with {@code WNOHANG}) and closes its pidfd;
     * false if it has not. Under this object's lock, so that no signal goes to its pid once reaped.
     */
    boolean reapIfExited() {
        synchronized (this) {
            if (handle == null) {
                handle = ProcessHandle.of(pid).orElse(null); // a zombie until reaped: still there
            }
            int[] status = new int[1];
            int reapedPid = SpawnLibC.waitpid(pid, status, WNOHANG);
            if (reapedPid == 0) {
                return false;
            }
            if (reapedPid < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EINTR) {
                    return false;
                }
                // ECHILD: reaped by someone else (SIGCHLD ignored, say); it is gone all the same
                log.warn("Child process {} could not be reaped: {}", pid, Errno.name(errno));
                status[0] = 0xff << 8;
            }
            int signal = status[0] & 0x7f;
            exitValue = signal == 0 ? (status[0] >> 8) & 0xff : 0x80 + signal;
            reaped = true;
            Syscalls.closeQuietly(pidfd);
            notifyAll();
        }
        ProcessPipes.processExited(stdin);
        ProcessPipes.processExited(stdout);
        ProcessPipes.processExited(stderr);
        // as the JDK's processes: dependent stages never run on the reaper thread
        exit.completeAsync(() -> this, ForkJoinPool.commonPool());
        return true;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public synchronized int waitFor() throws InterruptedException {
        while (!reaped) {
            wait();
        }
        return exitValue;
    }

    @Override
    public synchronized boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!reaped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public synchronized int exitValue() {
        if (!reaped) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return exitValue;
    }

    @Override
    public synchronized boolean isAlive() {
        return !reaped;
    }

    @Override
    public void destroy() {
        signal(SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    private synchronized void signal(int signal) {
        if (!reaped) { // until reaped the pid is this child's, even as a zombie
            SpawnLibC.kill(pid, signal);
        }
        closeQuietly(stdin);
        closeQuietly(stdout);
        closeQuietly(stderr);
    }

    private static void closeQuietly(java.io.Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // closing on the way to killing the process: nothing to tell
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    /** As the JDK's: a handle also once the process has exited, whose {@code isAlive()} is then false. */
    @Override
    public synchronized ProcessHandle toHandle() {
        if (handle == null && !reaped) {
            handle = ProcessHandle.of(pid).orElse(null);
        }
        if (handle == null) {
            throw new IllegalStateException("process " + pid + " has exited");
        }
        return handle;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.thenApply(process -> process); // a copy: completing it does not complete ours
    }

    @Override
    public String toString() {
        synchronized (this) {
            return "Process[pid=" + pid + ", exitValue=" + (reaped ? exitValue : "\"not exited\"") + "]";
        }
    }

    /** The output stream of a child whose stdin is not a pipe, as the JDK's: every write fails. */
    static final class ClosedOutputStream extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            throw new IOException("Stream closed");
        }
    }
}
