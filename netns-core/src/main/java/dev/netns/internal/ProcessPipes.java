package dev.netns.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streams of a {@link SpawnedProcess}'s pipes, which let go of their pipe once the process has
 * exited, as the JDK's do: whatever output is left is kept in memory and the descriptor closed, so a
 * caller who waits for a process and never closes its streams leaks no descriptor. A stream being
 * read or written from at that moment is left alone (its caller is still using it, and the reaper
 * must not wait for it).
 */
final class ProcessPipes {

    private ProcessPipes() {
    }

    /** An I/O call made while holding a stream's lock. */
    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T locked(ReentrantLock lock, IoCall<T> call) throws IOException {
        lock.lock();
        try {
            return call.call();
        } finally {
            lock.unlock();
        }
    }

    /** Lets go of the stream's pipe if it is one of these, keeping what is left to read. */
    static void processExited(Object stream) {
        if (stream instanceof Input input) {
            input.processExited();
        } else if (stream instanceof Output output) {
            output.processExited();
        }
    }

    /** stdout or stderr of the child. */
    static final class Input extends InputStream {

        private final ReentrantLock lock = new ReentrantLock();
        private InputStream in; // guarded by lock

        Input(InputStream in) {
            this.in = in;
        }

        void processExited() {
            if (!lock.tryLock()) {
                return;
            }
            try {
                InputStream pipe = in;
                try {
                    byte[] left = pipe.readNBytes(pipe.available());
                    in = left.length == 0 ? InputStream.nullInputStream() : new ByteArrayInputStream(left);
                } catch (IOException e) {
                    return; // closed by its user already
                }
                try {
                    pipe.close();
                } catch (IOException e) {
                    // what was left is read: nothing to tell
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int read() throws IOException {
            return locked(lock, () -> in.read());
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return locked(lock, () -> in.read(buffer, offset, length));
        }

        @Override
        public long skip(long n) throws IOException {
            return locked(lock, () -> in.skip(n));
        }

        @Override
        public int available() throws IOException {
            return locked(lock, () -> in.available());
        }

        @Override
        public void close() throws IOException {
            locked(lock, () -> {
                in.close();
                return null;
            });
        }
    }

    /** stdin of the child. */
    static final class Output extends OutputStream {

        private final ReentrantLock lock = new ReentrantLock();
        private final OutputStream pipe; // unbuffered: closed without writing what a child that has exited cannot read
        private OutputStream out; // guarded by lock

        Output(OutputStream pipe, OutputStream buffered) {
            this.pipe = pipe;
            this.out = buffered;
        }

        void processExited() {
            if (!lock.tryLock()) {
                return;
            }
            try {
                out = new SpawnedProcess.ClosedOutputStream();
                pipe.close();
            } catch (IOException e) {
                // closed by its user already
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void write(int b) throws IOException {
            locked(lock, () -> {
                out.write(b);
                return null;
            });
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            locked(lock, () -> {
                out.write(buffer, offset, length);
                return null;
            });
        }

        @Override
        public void flush() throws IOException {
            locked(lock, () -> {
                out.flush();
                return null;
            });
        }

        @Override
        public void close() throws IOException {
            locked(lock, () -> {
                out.close();
                return null;
            });
        }
    }
}
