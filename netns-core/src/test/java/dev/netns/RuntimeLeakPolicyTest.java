package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each runtime's leak policy applies to the handles opened through it: a leaked handle is counted
 * by its runtime only, and logged (or not) as that runtime says, with the stack or with the hint its
 * builder was given. The log is read from standard error, where the tests' SLF4J binding writes.
 */
class RuntimeLeakPolicyTest {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream previousErr;

    @BeforeEach
    void captureTheLog() {
        previousErr = System.err;
        System.setErr(new PrintStream(new TeeStream(log, previousErr), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheLog() {
        System.setErr(previousErr);
    }

    @Test
    void aLeakIsCountedAndLoggedByTheRuntimeThatOpenedTheHandleOnly() {
        try (NetnsRuntime logging = NetnsRuntime.builder().trackStackTracesHint("set my.track=true").build();
                NetnsRuntime silent = NetnsRuntime.builder().logLeaks(false).build()) {
            long defaultLeaks = Netns.leakedHandles();
            String quietSource = leak(silent);
            awaitLeaked(silent);
            String loudSource = leak(logging);
            awaitLeaked(logging);
            // One Cleaner thread releases leaks in turn: once the second is logged, the first was handled.
            awaitLogged(loudSource + ") was garbage-collected while open");

            assertThat(logging.leakedHandles()).isEqualTo(1);
            assertThat(silent.leakedHandles()).isEqualTo(1);
            assertThat(Netns.leakedHandles()).isEqualTo(defaultLeaks);
            assertThat(logged()).contains("; set my.track=true to see where").doesNotContain(quietSource);
        }
    }

    @Test
    void aRuntimeThatTracksStacksLogsTheStackThatOpenedTheLeakedHandle() {
        try (NetnsRuntime tracking = NetnsRuntime.builder().trackStackTraces(true).build()) {
            String source = leak(tracking);
            awaitLeaked(tracking);
            awaitLogged(source + ") was garbage-collected while open");
            assertThat(logged()).contains("\tat " + getClass().getName() + ".leak(").doesNotContain("to see where");
        }
        try (NetnsRuntime untracked = NetnsRuntime.builder().build()) {
            String source = leak(untracked);
            awaitLeaked(untracked);
            awaitLogged(source + ") was garbage-collected while open");
            assertThat(logged()).contains("build the NetnsRuntime with trackStackTraces(true) to see where");
        }
    }

    /** Opens a handle through the runtime and drops it, open; returns its source. */
    private static String leak(NetnsRuntime runtime) {
        String source = "test:leak-" + UUID.randomUUID();
        NsHandle handle = runtime.open("/proc/self/ns/net", source);
        assertThat(handle.isOpen()).isTrue();
        return source;
    }

    private static void awaitLeaked(NetnsRuntime runtime) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return runtime.leakedHandles() > 0;
        });
    }

    /** The count goes up before the line is logged, on the Cleaner's thread. */
    private void awaitLogged(String fragment) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> logged().contains(fragment));
    }

    private String logged() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /** Writes to the captured log and on to where standard error went before. */
    private static final class TeeStream extends java.io.OutputStream {

        private final ByteArrayOutputStream copy;
        private final PrintStream original;

        TeeStream(ByteArrayOutputStream copy, PrintStream original) {
            this.copy = copy;
            this.original = original;
        }

        @Override
        public synchronized void write(int b) {
            copy.write(b);
            original.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            original.write(b, off, len);
        }
    }
}
