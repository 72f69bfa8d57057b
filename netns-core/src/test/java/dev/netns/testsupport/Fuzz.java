package dev.netns.testsupport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.opentest4j.TestAbortedException;

/**
 * Runs a property of the code under test for many generated inputs, in a plain JUnit test. We
 * generate the inputs ourselves ({@link Gen}) rather than depend on a property-testing library.
 *
 * <p>Each run draws one seed, from the system property {@value #SEED_PROPERTY} when set and at
 * random otherwise, and generates every input from it: the same seed gives the same inputs again.
 * The first input the property fails on ends the run with an {@link AssertionError} naming the
 * seed, the try and the input (there is no shrinking). Either way the run prints a {@link Figures}
 * line: {@code netns-figures: fuzz NAME tries=N checks=N COUNTS... losses=0 status=SUCCESSFUL seconds=S seed=SEED},
 * with {@code losses=0} exactly when the run passed.
 *
 * <pre>{@code
 * Fuzz.forAll("NamespaceReferenceFuzzTest.parse", 10_000, HostileStrings.references(), text -> ...);
 * Fuzz.named("NamedNamespaceFuzzTest.names", 10_000).counting(this::counts).thenCheck(this::sandboxUnchanged)
 *         .forAll(names(), name -> ...);
 * }</pre>
 */
public final class Fuzz {

    /** System property with the seed to generate from, to replay a run: {@code -Dnetns.test.fuzz.seed=SEED}. */
    public static final String SEED_PROPERTY = "netns.test.fuzz.seed";

    /** How many code points of an input {@link #show(String)} shows. */
    public static final int SHOWN_CODE_POINTS = 120;

    /** What is checked of every input: throws (an assertion, or anything else) when it does not hold. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T input) throws Exception;
    }

    /** A check made once, after the last try. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private final String name;
    private final int tries;
    private Supplier<? extends Map<String, ?>> counts = Map::of;
    private Check afterTries = () -> { };
    private BiConsumer<String, Map<String, ?>> report = Figures::print;

    private Fuzz(String name, int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries " + tries + " < 1");
        }
        this.name = Objects.requireNonNull(name, "name");
        this.tries = tries;
    }

    /**
     * Checks {@code property} for {@code tries} inputs from {@code gen}, then prints the figures line.
     *
     * @param name names the run in its figures line and failure, usually {@code TestClass.testMethod}
     */
    public static <T> void forAll(String name, int tries, Gen<T> gen, Property<? super T> property) {
        named(name, tries).forAll(gen, property);
    }

    /** A run to configure before {@link #forAll(Gen, Property)}. */
    public static Fuzz named(String name, int tries) {
        return new Fuzz(name, tries);
    }

    /** The test's own outcome counts, printed in the figures line in their order. */
    public Fuzz counting(Supplier<? extends Map<String, ?>> counts) {
        this.counts = Objects.requireNonNull(counts, "counts");
        return this;
    }

    /**
     * A check made after the last try, whether the tries passed or not, and reported with them:
     * that nothing escaped, say. Its failure fails the run (or is added to the try's failure).
     */
    public Fuzz thenCheck(Check check) {
        this.afterTries = Objects.requireNonNull(check, "check");
        return this;
    }

    /** Where the figures go instead of {@link Figures#print(String, Map)}; for testing the runner. */
    Fuzz reportingTo(BiConsumer<String, Map<String, ?>> report) {
        this.report = Objects.requireNonNull(report, "report");
        return this;
    }

    /** Checks {@code property} for as many inputs from {@code gen} as tries, then prints the figures line. */
    public <T> void forAll(Gen<T> gen, Property<? super T> property) {
        long seed = seed();
        RandomGenerator random = new SplittableRandom(seed);
        long start = System.nanoTime();
        int tried = 0;
        Throwable failure = null;
        for (int i = 1; i <= tries && failure == null; i++) {
            tried = i;
            T input;
            try {
                input = gen.next(random);
            } catch (RuntimeException e) {
                failure = failed(seed, i, "(the generator failed)", e);
                break;
            }
            try {
                property.check(input);
            } catch (TestAbortedException e) {
                failure = e;
            } catch (Throwable e) {
                failure = failed(seed, i, describe(input), e);
            }
        }
        try {
            afterTries.run();
        } catch (Throwable e) {
            if (failure == null) {
                failure = new AssertionError(name + ": the check after " + tried + " tries failed (seed " + seed
                        + ", replay with -D" + SEED_PROPERTY + "=" + seed + "): " + e, e);
            } else {
                failure.addSuppressed(e);
            }
        }
        String status = failure == null ? "SUCCESSFUL" : failure instanceof TestAbortedException ? "ABORTED" : "FAILED";
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("tries", tried);
        values.put("checks", tried); // there are no assumptions to discard a try
        values.putAll(counts.get());
        // A hang, an escape or any unexpected outcome fails the run: losses are zero exactly when it passed.
        values.put("losses", failure == null ? "0" : "1+");
        values.put("status", status);
        values.put("seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        values.put("seed", seed);
        report.accept("fuzz " + name, values);
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
    }

    private AssertionError failed(long seed, int attempt, String input, Throwable cause) {
        return new AssertionError(name + " failed at try " + attempt + " of " + tries + " with seed " + seed
                + " (replay: -D" + SEED_PROPERTY + "=" + seed + ") on input " + input + ": " + cause, cause);
    }

    /** The seed of the system property {@value #SEED_PROPERTY}, or a fresh one. */
    static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY, "").strip();
        if (fixed.isEmpty()) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.parseLong(fixed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + fixed + " is not a long", e);
        }
    }

    /** An input as a failure shows it: strings quoted and escaped, anything else by its (escaped) text. */
    private static String describe(Object input) {
        return input instanceof String text ? show(text, 2_000) : escape(String.valueOf(input), 2_000);
    }

    /**
     * A string as a test report can show it: quoted, control and non-alphanumeric non-ASCII chars
     * (unpaired surrogates included) escaped as {@code \\uXXXX}, cut after {@value #SHOWN_CODE_POINTS}
     * code points.
     */
    public static String show(String text) {
        return show(text, SHOWN_CODE_POINTS);
    }

    private static String show(String text, int limit) {
        return text == null ? "null" : "\"" + escape(text, limit) + "\"";
    }

    private static String escape(String text, int limit) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(limit).forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && !Character.isLetterOrDigit(c))) {
                shown.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        if (text.codePointCount(0, text.length()) > limit) {
            shown.append("... (").append(text.length()).append(" chars)");
        }
        return shown.toString();
    }
}
