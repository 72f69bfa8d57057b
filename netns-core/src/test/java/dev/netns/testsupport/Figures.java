package dev.netns.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The figures the reliability tests measure, one line each on standard output, starting with
 * {@code netns-figures:} so that a CI log can be grepped for them:
 * {@code netns-figures: fuzz NamespaceReference.parse tries=10000 valid=3120 rejected=6880 unexpected=0}.
 */
public final class Figures {

    public static final String PREFIX = "netns-figures:";

    private Figures() {
    }

    /** Prints {@code netns-figures: SUBJECT key=value...} in the order given. */
    public static void print(String subject, Map<String, ?> values) {
        StringJoiner line = new StringJoiner(" ", PREFIX + " " + subject + " ", "");
        values.forEach((key, value) -> line.add(key + "=" + value));
        System.out.println(line);
        System.out.flush();
    }

    /** Prints {@code netns-figures: SUBJECT key=value...} from alternating keys and values. */
    public static void print(String subject, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        print(subject, values);
    }
}
