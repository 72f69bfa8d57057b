package dev.netns;

/**
 * Short spinning before parking, on either side of a hand-off: waking a parked thread on an idle
 * vCPU costs tens of microseconds on a VM, against a few for a thread that is still running. Only
 * with more than one CPU (on one, spinning only delays the thread it waits for). Off unless set:
 * system properties {@code netns.executor.worker-spin-nanos} (an idle worker, before it parks)
 * and {@code netns.executor.caller-spin-nanos} (a caller waiting for its result).
 */
final class Spin {

    private static final boolean MULTI_CPU = Runtime.getRuntime().availableProcessors() > 1;
    static final long WORKER_NANOS = nanos("netns.executor.worker-spin-nanos");
    static final long CALLER_NANOS = nanos("netns.executor.caller-spin-nanos");

    private Spin() {
    }

    private static long nanos(String property) {
        return MULTI_CPU ? Math.max(0, Long.getLong(property, 0)) : 0;
    }

    /** Spins while the future is not done, up to {@link #CALLER_NANOS}. */
    static void untilDone(java.util.concurrent.Future<?> future) {
        if (CALLER_NANOS > 0) {
            long until = System.nanoTime() + CALLER_NANOS;
            while (!future.isDone() && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        }
    }
}
