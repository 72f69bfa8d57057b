package dev.netns.testsupport;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for the fuzz tests, biased toward the shapes that break names and references:
 * slashes, dots, colons, NUL, whitespace, percent- and overlong-encoded separators, unicode
 * lookalikes of {@code /} and {@code .}, unpaired surrogates, numbers at the int limits, strings
 * around NAME_MAX bytes, and arbitrary unicode besides.
 */
public final class HostileStrings {

    /** The pieces dangerous strings are made of. */
    public static final List<String> PIECES = List.of(
            "/", "//", ".", "..", "...", "./", "../", ":", "::", "\0", " ", "\t", "\n", "\r", "\u000b", "\f",
            "\u00a0", "\u2028", "\u3000", "\u0085",
            "%2e", "%2E", "%2f", "%2F", "%00", "%252e%252e%252f", "..%2f", "%c0%ae", "%c0%af", "\\", "\\..\\",
            "\uff0f", "\u2215", "\u2044", "\u29f8", "\u2571", // lookalikes of '/'
            "\uff0e", "\u2024", "\u2025", "\u2026", "\u0338", // lookalikes of '.' and '..', a combining solidus
            "\u202e", "\u200b", "\ufeff", "\ud800", "\udc00", "\ud83d\ude00", "\uffff", "\ufffd",
            "e\u0301", "\u00e9", "\u0130", "\u212a", "~", "*", "?", "$HOME", "$(id)", "`id`", ";", "|", "&", "'", "\"", "<", ">",
            "name", "path", "pid", "thread", "docker", "host", "current", "NAME", "Host", "CURRENT", "nt-", "netns",
            "run", "etc", "passwd", "proc", "self", "thread-self", "ns", "net", "fd",
            "0", "1", "-1", "+1", "007", "2147483647", "2147483648", "4294967296", "9999999999", "\uff11", "\u0663",
            "x", "blue", "a-b_c.d");

    private HostileStrings() {
    }

    /** One to eight {@link #PIECES} in a row. */
    public static Arbitrary<String> pieces() {
        return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(8).map(list -> String.join("", list));
    }

    /** Any UTF-16 string up to 40 chars, unpaired surrogates and noncharacters included. */
    public static Arbitrary<String> unicode() {
        return Arbitraries.strings().all().ofMaxLength(40);
    }

    /** A character of 1, 2, 3 or 4 UTF-8 bytes repeated to about NAME_MAX (255) bytes, a little under or over. */
    public static Arbitrary<String> nearNameMax() {
        Arbitrary<String> unit = Arbitraries.of("a", "\u00e9", "\u20ac", "\ud83d\ude00", ".", "/");
        Arbitrary<Integer> bytes = Arbitraries.integers().between(240, 270);
        return Combinators.combine(unit, bytes).as((piece, total) -> {
            int size = piece.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            return piece.repeat(Math.max(1, total / size)) + "a".repeat(total % size);
        });
    }

    /** Up to 5,000 chars: far beyond NAME_MAX and PATH_MAX. */
    public static Arbitrary<String> veryLong() {
        return Combinators.combine(pieces(), Arbitraries.integers().between(256, 5_000))
                .as((piece, length) -> piece.repeat(length / Math.max(1, piece.length()) + 1).substring(0, length));
    }

    /** A string with whitespace, visible or not, before and after. */
    public static Arbitrary<String> whitespaceAround(Arbitrary<String> inner) {
        Arbitrary<String> space = Arbitraries.of(" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "");
        return Combinators.combine(space, inner, space).as((before, text, after) -> before + text + after);
    }

    /** Names: dangerous pieces most often, then arbitrary unicode, lengths around NAME_MAX, and whitespace. */
    public static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, pieces()),
                Tuple.of(3, unicode()),
                Tuple.of(1, nearNameMax()),
                Tuple.of(1, veryLong()),
                Tuple.of(1, whitespaceAround(pieces())));
    }

    /** The schemes of references, in odd cases, and some that do not exist. */
    public static Arbitrary<String> schemes() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("name", "path", "pid", "thread", "docker", "host", "current")),
                Tuple.of(2, Arbitraries.of("NAME", "Path", "PID", "Thread", "DOCKER", "HOST", "Current", "doc\u212aer",
                        " name", "name ", "file", "netns", "", " ", "\0", "//", "http")),
                Tuple.of(1, unicode()));
    }

    /** Numbers as {@code pid:} and {@code thread:} values: signs, zeros, int limits, overflows, other digits. */
    public static Arbitrary<String> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(2, Arbitraries.integers().between(1, 4_194_304).map(String::valueOf)),
                Tuple.of(2, Arbitraries.of("0", "00", "0000000001", "+1", "-1", "2147483647", "2147483648", "4294967297",
                        "99999999999", "1e3", "0x10", "\uff11", "\u0663", "1 ", " 1", "", "1/", "/1")),
                Tuple.of(1, pieces()));
    }

    /**
     * References: a scheme and a value of every kind, a bare name, the keywords in odd cases and
     * with whitespace, and whole references wrapped in whitespace.
     */
    public static Arbitrary<String> references() {
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(4, pieces()),
                Tuple.of(2, unicode()),
                Tuple.of(2, numbers()),
                Tuple.of(1, Combinators.combine(numbers(), numbers()).as((pid, tid) -> pid + "/" + tid)),
                Tuple.of(1, pieces().map(piece -> "/" + piece)),
                Tuple.of(1, nearNameMax()),
                Tuple.of(1, veryLong()));
        Arbitrary<String> schemed = Combinators.combine(schemes(), Arbitraries.of(":", "::", ": "), values)
                .as((scheme, colon, value) -> scheme + colon + value);
        return Arbitraries.frequencyOf(
                Tuple.of(6, schemed),
                Tuple.of(2, names()),
                Tuple.of(1, whitespaceAround(Arbitraries.of("host", "current", "HOST", "Current", "host:", "current:x"))),
                Tuple.of(1, whitespaceAround(schemed)));
    }
}
