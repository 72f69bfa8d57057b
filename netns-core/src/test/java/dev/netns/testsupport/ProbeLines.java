package dev.netns.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The output of a probe: a main class run in a child JVM (as another user, or with another
 * {@code os.name}) that tries operations and prints one line per operation, which the test reads.
 * A line is {@code probe TAB operation TAB outcome TAB detail}; the outcome is {@code OK} or the
 * simple name of the exception thrown, the detail the result or the exception's message.
 */
public final class ProbeLines {

    private static final String PREFIX = "probe\t";

    private ProbeLines() {
    }

    /** One operation of a probe. */
    @FunctionalInterface
    public interface Operation {
        Object run() throws Throwable;
    }

    /** What an operation did. */
    public record Outcome(String outcome, String detail) {

        public boolean ok() {
            return outcome.equals("OK");
        }
    }

    /** Runs an operation and prints its line; nothing it throws escapes. */
    public static void print(String operation, Operation body) {
        String outcome;
        String detail;
        try {
            outcome = "OK";
            detail = String.valueOf(body.run());
        } catch (Throwable e) {
            outcome = e.getClass().getSimpleName();
            detail = String.valueOf(e.getMessage());
        }
        System.out.println(PREFIX + operation + "\t" + outcome + "\t" + detail.replace('\n', ' ').replace('\t', ' '));
        System.out.flush();
    }

    /** The probe lines of an output by operation, other output (JVM warnings, logs) skipped. */
    public static Map<String, Outcome> parse(String output) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        output.lines().filter(line -> line.startsWith(PREFIX)).forEach(line -> {
            String[] parts = line.substring(PREFIX.length()).split("\t", 3);
            outcomes.put(parts[0], new Outcome(parts[1], parts.length > 2 ? parts[2] : ""));
        });
        return outcomes;
    }
}
