package dev.netns.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.internal.NamedNamespaces;
import dev.netns.testsupport.Bounded;
import dev.netns.testsupport.FuzzReport;
import dev.netns.testsupport.HostileStrings;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Fuzzes the parsing of references and alias maps, which needs no privilege and touches no file:
 * the only outcomes are a valid reference or {@link IllegalArgumentException}, never another
 * exception and never a hang, and a valid name never leaves the run dir.
 */
@AddLifecycleHook(FuzzReport.class)
class NamespaceReferenceFuzzTest implements FuzzReport.Counted {

    private static final Path RUN_DIR = Path.of("/run/netns");
    private static final Charset FILE_NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private final Bounded bounded = new Bounded(Duration.ofSeconds(5));
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    @Override
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("valid", valid.get());
        counts.put("rejected", rejected.get());
        return counts;
    }

    @AfterProperty
    void closeBounded() {
        bounded.close();
    }

    @Provide
    Arbitrary<String> references() {
        return HostileStrings.references().injectNull(0.001);
    }

    @Property(tries = 10_000)
    void parseGivesAValidReferenceOrIllegalArgumentException(@ForAll("references") String text) {
        Bounded.Outcome outcome = bounded.run(() -> show(text), () -> NamespaceReference.parse(text));
        if (outcome.thrown() != null) {
            assertRejected(outcome, text);
            return;
        }
        valid.incrementAndGet();
        NamespaceReference reference = (NamespaceReference) outcome.value();
        assertWellFormed(reference);
        assertThat(NamespaceReference.parse(reference.toString())).as("round trip of %s", text).isEqualTo(reference);
        assertThat(NamespaceReference.parse(text)).as("parse is a function").isEqualTo(reference);
    }

    @Provide
    Arbitrary<String> names() {
        return HostileStrings.names().injectNull(0.001);
    }

    @Property(tries = 10_000)
    void validateNameAcceptsExactlyTheNamesIproute2Accepts(@ForAll("names") String name) {
        Bounded.Outcome outcome = bounded.run(() -> show(name), () -> {
            NamedNamespaces.validateName(name);
            return name;
        });
        if (outcome.thrown() != null) {
            rejected.incrementAndGet();
            assertThat(outcome.thrown()).as("outcome for %s", name).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid namespace name");
            assertThat(name != null && followsIproute2Rules(name)).as("%s follows iproute2's rules", name).isFalse();
        } else {
            valid.incrementAndGet();
            assertThat(followsIproute2Rules(name)).as("%s follows iproute2's rules", name).isTrue();
            assertStaysInRunDir(name);
        }
    }

    /**
     * iproute2's rules for a name, written independently of the library: 1 to NAME_MAX bytes, no
     * {@code /} or NUL, not {@code .} or {@code ..}; and valid UTF-16, so that it has bytes at all.
     */
    static boolean followsIproute2Rules(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0
                && StandardCharsets.UTF_8.newEncoder().canEncode(name)
                && name.getBytes(StandardCharsets.UTF_8).length <= 255;
    }

    /** Whether this JVM can use the name as a file name: iproute2's rules, and its file name encoding can hold it. */
    static boolean isUsableName(String name) {
        return followsIproute2Rules(name) && FILE_NAMES.newEncoder().canEncode(name);
    }

    @Provide
    Arbitrary<String> schemes() {
        return HostileStrings.schemes();
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, HostileStrings.pieces()),
                Tuple.of(2, HostileStrings.unicode()),
                Tuple.of(2, HostileStrings.numbers()),
                Tuple.of(1, HostileStrings.nearNameMax()),
                Tuple.of(1, HostileStrings.whitespaceAround(HostileStrings.pieces())));
    }

    @Property(tries = 10_000)
    void theConstructorAcceptsWhatParseWouldGiveAndNothingElse(@ForAll("schemes") String scheme,
            @ForAll("values") String value) {
        Bounded.Outcome outcome = bounded.run(() -> show(scheme) + ", " + show(value), () -> new NamespaceReference(scheme, value));
        if (outcome.thrown() != null) {
            assertRejected(outcome, scheme + ":" + value);
            return;
        }
        valid.incrementAndGet();
        NamespaceReference reference = (NamespaceReference) outcome.value();
        assertWellFormed(reference);
        if (value.stripTrailing().equals(value)) {
            assertThat(NamespaceReference.parse(reference.toString())).as("round trip of %s", reference)
                    .isEqualTo(reference);
        } else {
            // parse strips the text, so a value's trailing whitespace does not survive the text form:
            // it reads as the value without it, or not at all when nothing else is left.
            String text = reference.toString();
            assertThat(outcome(() -> NamespaceReference.parse(text))).as("round trip of %s", text)
                    .isEqualTo(outcome(() -> new NamespaceReference(scheme, value.stripTrailing())));
        }
    }

    /** The reference made, or the type of the exception thrown. */
    private static Object outcome(java.util.function.Supplier<NamespaceReference> make) {
        try {
            return make.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    @Provide
    Arbitrary<Map<String, String>> aliasMaps() {
        Arbitrary<String> aliases = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(12)),
                Tuple.of(3, HostileStrings.names()),
                Tuple.of(1, Arbitraries.of("", " ", "\t", "\n", "\u2003", "host", "current", "name:x")));
        return Arbitraries.maps(aliases.injectNull(0.01), HostileStrings.references().injectNull(0.01)).ofMaxSize(5)
                .map(HashMap::new);
    }

    // Edge cases of maps of references multiply into hundreds of thousands: random maps only.
    @Property(tries = 10_000, edgeCases = EdgeCasesMode.NONE)
    void aliasMapsGiveATemplateOrIllegalArgumentExceptionNamingTheAlias(@ForAll("aliasMaps") Map<String, String> aliases,
            @ForAll("references") String other) {
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            DefaultNamespaceResolver resolver = new DefaultNamespaceResolver();
            Bounded.Outcome outcome = bounded.run(() -> show(aliases.toString()),
                    () -> new NamespaceTemplate(resolver, executors, aliases));
            boolean allGood = aliases.entrySet().stream().allMatch(entry -> entry.getKey() != null
                    && !entry.getKey().isBlank() && parses(entry.getValue()));
            if (outcome.thrown() != null) {
                rejected.incrementAndGet();
                assertThat(outcome.thrown()).as("outcome for %s", aliases).isExactlyInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("alias");
                assertThat(allGood).as("rejected although every alias is fine: %s", aliases).isFalse();
                return;
            }
            valid.incrementAndGet();
            assertThat(allGood).as("accepted although an alias is bad: %s", aliases).isTrue();
            NamespaceTemplate template = (NamespaceTemplate) outcome.value();
            assertThat(template.aliases()).containsOnlyKeys(aliases.keySet());
            aliases.forEach((alias, reference) -> {
                NamespaceReference parsed = NamespaceReference.parse(reference);
                assertThat(template.aliases().get(alias)).isEqualTo(parsed);
                assertThat(template.referenceOf(alias)).isEqualTo(parsed);
                assertWellFormed(parsed);
            });
            if (!aliases.containsKey(other)) {
                Bounded.Outcome direct = bounded.run(() -> show(other), () -> template.referenceOf(other));
                if (direct.thrown() != null) {
                    assertRejected(direct, other);
                    rejected.decrementAndGet(); // counted once, above, per map
                } else {
                    assertThat(direct.value()).isEqualTo(NamespaceReference.parse(other));
                }
            }
        }
    }

    private static boolean parses(String reference) {
        try {
            NamespaceReference.parse(reference);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void assertRejected(Bounded.Outcome outcome, String input) {
        rejected.incrementAndGet();
        assertThat(outcome.thrown()).as("outcome for %s", input).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid namespace reference").hasMessageContaining("valid forms:");
    }

    /** What each scheme promises of its value; a name stays a single file in the run dir. */
    private static void assertWellFormed(NamespaceReference reference) {
        String value = reference.value();
        assertThat(NamespaceReference.SCHEMES).contains(reference.scheme());
        switch (reference.scheme()) {
            case "host", "current" -> assertThat(value).isEmpty();
            case "name" -> assertStaysInRunDir(value);
            case "path" -> assertThat(value).startsWith("/").doesNotContain("\0");
            case "pid" -> assertThat(reference.pid()).isPositive();
            case "thread" -> {
                assertThat(reference.pid()).isPositive();
                assertThat(reference.tid()).isPositive();
            }
            case "docker" -> assertThat(value).isNotEmpty().doesNotContain("\0", ":").matches("/?[A-Za-z0-9][A-Za-z0-9_.-]*");
            default -> throw new AssertionError("scheme " + reference.scheme());
        }
    }

    static void assertStaysInRunDir(String name) {
        assertThat(name).isNotEmpty().doesNotContain("/", "\0").isNotIn(".", "..");
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(255);
        Path file;
        try {
            file = RUN_DIR.resolve(name);
        } catch (InvalidPathException e) {
            // Only a name this JVM cannot encode as a file name may fail here (it is refused when used).
            assertThat(FILE_NAMES.newEncoder().canEncode(name)).as("%s cannot be a path", name).isFalse();
            return;
        }
        assertThat(file.getParent()).isEqualTo(RUN_DIR);
        assertThat(file.normalize()).isEqualTo(file);
        assertThat(file.getFileName().toString()).isEqualTo(name);
    }

    /** The input as a test report can show it: escaped, and cut when long. */
    static String show(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder("\"");
        text.codePoints().limit(120).forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && !Character.isLetterOrDigit(c))) {
                shown.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.append(text.length() > 120 ? "...\" (" + text.length() + " chars)" : "\"").toString();
    }
}
