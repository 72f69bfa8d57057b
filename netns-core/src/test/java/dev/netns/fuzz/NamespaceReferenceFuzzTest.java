package dev.netns.fuzz;

import static dev.netns.testsupport.Fuzz.show;
import static dev.netns.testsupport.Gen.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.InvalidNamespaceAliasException;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.internal.NamedNamespaces;
import dev.netns.testsupport.Bounded;
import dev.netns.testsupport.Fuzz;
import dev.netns.testsupport.Gen;
import dev.netns.testsupport.HostileStrings;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the parsing of references and alias maps, which needs no privilege and touches no file:
 * the only outcomes are a valid reference or {@link IllegalArgumentException}, never another
 * exception and never a hang, and a valid name never leaves the run dir. Each test checks
 * {@value #TRIES} generated inputs ({@link Fuzz}: a failure names the seed that replays it).
 */
class NamespaceReferenceFuzzTest {

    private static final int TRIES = 10_000;
    private static final Path RUN_DIR = Path.of("/run/netns");
    private static final Charset FILE_NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private final Bounded bounded = new Bounded(Duration.ofSeconds(5));
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** The outcomes counted, for the figures line (JUnit makes one instance per test, so per fuzz run). */
    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("valid", valid.get());
        counts.put("rejected", rejected.get());
        return counts;
    }

    @AfterEach
    void closeBounded() {
        bounded.close();
    }

    static Gen<String> references() {
        return HostileStrings.references().injectNull(0.001);
    }

    @Test
    void parseGivesAValidReferenceOrIllegalArgumentException() {
        Fuzz.named("NamespaceReferenceFuzzTest.parseGivesAValidReferenceOrIllegalArgumentException", TRIES)
                .counting(this::counts).forAll(references(), this::parseGivesAValidReferenceOrIllegalArgumentException);
    }

    private void parseGivesAValidReferenceOrIllegalArgumentException(String text) {
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

    static Gen<String> names() {
        return HostileStrings.names().injectNull(0.001);
    }

    @Test
    void validateNameAcceptsExactlyTheNamesIproute2Accepts() {
        Fuzz.named("NamespaceReferenceFuzzTest.validateNameAcceptsExactlyTheNamesIproute2Accepts", TRIES)
                .counting(this::counts).forAll(names(), this::validateNameAcceptsExactlyTheNamesIproute2Accepts);
    }

    private void validateNameAcceptsExactlyTheNamesIproute2Accepts(String name) {
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

    static Gen<String> values() {
        return Gen.frequency(
                weighted(4, HostileStrings.pieces()),
                weighted(2, HostileStrings.unicode()),
                weighted(2, HostileStrings.numbers()),
                weighted(1, HostileStrings.nearNameMax()),
                weighted(1, HostileStrings.whitespaceAround(HostileStrings.pieces())));
    }

    /** A scheme and a value, as the constructor takes them. */
    record SchemeAndValue(String scheme, String value) {
        @Override
        public String toString() {
            return "scheme " + show(scheme) + ", value " + show(value);
        }
    }

    @Test
    void theConstructorAcceptsWhatParseWouldGiveAndNothingElse() {
        Fuzz.named("NamespaceReferenceFuzzTest.theConstructorAcceptsWhatParseWouldGiveAndNothingElse", TRIES)
                .counting(this::counts)
                .forAll(Gen.combine(HostileStrings.schemes(), values(), SchemeAndValue::new),
                        input -> theConstructorAcceptsWhatParseWouldGiveAndNothingElse(input.scheme(), input.value()));
    }

    private void theConstructorAcceptsWhatParseWouldGiveAndNothingElse(String scheme, String value) {
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

    private static final String ALIAS_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

    /** Up to five aliases (plain, hostile, blank or keywords, rarely null) for references (rarely null). */
    static Gen<Map<String, String>> aliasMaps() {
        Gen<String> aliases = Gen.frequency(
                weighted(4, Gen.strings(ALIAS_CHARS, 1, 12)),
                weighted(3, HostileStrings.names()),
                weighted(1, Gen.of("", " ", "\t", "\n", "\u2003", "host", "current", "Host", "CURRENT", "cUrReNt", "name:x")));
        return Gen.maps(aliases.injectNull(0.01), HostileStrings.references().injectNull(0.01), 5);
    }

    /** An alias map and a reference looked up through the template made of it. */
    record AliasesAndOther(Map<String, String> aliases, String other) {
        @Override
        public String toString() {
            return "aliases " + showAliases(aliases) + ", other " + show(other);
        }
    }

    @Test
    void aliasMapsGiveATemplateOrIllegalArgumentExceptionNamingTheAlias() {
        Fuzz.named("NamespaceReferenceFuzzTest.aliasMapsGiveATemplateOrIllegalArgumentExceptionNamingTheAlias", TRIES)
                .counting(this::counts)
                .forAll(Gen.combine(aliasMaps(), references(), AliasesAndOther::new),
                        input -> aliasMapsGiveATemplateOrIllegalArgumentExceptionNamingTheAlias(input.aliases(), input.other()));
    }

    private void aliasMapsGiveATemplateOrIllegalArgumentExceptionNamingTheAlias(Map<String, String> aliases, String other) {
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            DefaultNamespaceResolver resolver = new DefaultNamespaceResolver();
            Bounded.Outcome outcome = bounded.run(() -> showAliases(aliases),
                    () -> new NamespaceTemplate(resolver, executors, aliases));
            boolean allGood = aliases.entrySet().stream().allMatch(entry -> entry.getKey() != null
                    && !entry.getKey().isBlank() && !NamespaceReference.isKeywordInAnyCase(entry.getKey())
                    && parses(entry.getValue()));
            if (outcome.thrown() != null) {
                rejected.incrementAndGet();
                assertThat(outcome.thrown()).as("outcome for %s", aliases).isExactlyInstanceOf(InvalidNamespaceAliasException.class)
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

    /** An alias map as a test report can show it: each alias and reference escaped, and cut when long. */
    static String showAliases(Map<String, String> aliases) {
        return aliases.entrySet().stream().map(entry -> show(entry.getKey()) + "=" + show(entry.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
