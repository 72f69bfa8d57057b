package dev.netns.testsupport;

import static dev.netns.testsupport.Gen.weighted;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Generators for the fuzz tests, biased toward the shapes that break names and references:
 * slashes, dots, colons, NUL, whitespace, percent- and overlong-encoded separators, unicode
 * lookalikes of {@code /} and {@code .}, unpaired surrogates, numbers at the int limits, strings
 * around NAME_MAX bytes, and arbitrary unicode besides. Built on {@link Gen}: the same seed gives
 * the same strings.
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
    public static Gen<String> pieces() {
        return Gen.of(PIECES).list(1, 8).map(list -> String.join("", list));
    }

    /** Any UTF-16 string up to 40 chars, unpaired surrogates and noncharacters included. */
    public static Gen<String> unicode() {
        return Gen.strings(0, 40);
    }

    /** A character of 1, 2, 3 or 4 UTF-8 bytes repeated to about NAME_MAX (255) bytes, a little under or over. */
    public static Gen<String> nearNameMax() {
        Gen<String> unit = Gen.of("a", "\u00e9", "\u20ac", "\ud83d\ude00", ".", "/");
        Gen<Integer> bytes = Gen.integers(240, 270);
        return Gen.combine(unit, bytes, (piece, total) -> {
            int size = piece.getBytes(StandardCharsets.UTF_8).length;
            return piece.repeat(Math.max(1, total / size)) + "a".repeat(total % size);
        });
    }

    /** Up to 5,000 chars: far beyond NAME_MAX and PATH_MAX. */
    public static Gen<String> veryLong() {
        return Gen.combine(pieces(), Gen.integers(256, 5_000),
                (piece, length) -> piece.repeat(length / Math.max(1, piece.length()) + 1).substring(0, length));
    }

    /** A string with whitespace, visible or not, before and after. */
    public static Gen<String> whitespaceAround(Gen<String> inner) {
        Gen<String> space = Gen.of(" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "");
        return Gen.combine(space, inner, space, (before, text, after) -> before + text + after);
    }

    /** Names: dangerous pieces most often, then arbitrary unicode, lengths around NAME_MAX, and whitespace. */
    public static Gen<String> names() {
        return Gen.frequency(
                weighted(6, pieces()),
                weighted(3, unicode()),
                weighted(1, nearNameMax()),
                weighted(1, veryLong()),
                weighted(1, whitespaceAround(pieces())));
    }

    /** The schemes of references, in odd cases, and some that do not exist. */
    public static Gen<String> schemes() {
        return Gen.frequency(
                weighted(6, Gen.of("name", "path", "pid", "thread", "docker", "host", "current")),
                weighted(2, Gen.of("NAME", "Path", "PID", "Thread", "DOCKER", "HOST", "Current", "doc\u212aer",
                        " name", "name ", "file", "netns", "", " ", "\0", "//", "http")),
                weighted(1, unicode()));
    }

    /** Numbers as {@code pid:} and {@code thread:} values: signs, zeros, int limits, overflows, other digits. */
    public static Gen<String> numbers() {
        return Gen.frequency(
                weighted(3, Gen.anyLong().map(String::valueOf)),
                weighted(2, Gen.integers(1, 4_194_304).map(String::valueOf)),
                weighted(2, Gen.of("0", "00", "0000000001", "+1", "-1", "2147483647", "2147483648", "4294967297",
                        "99999999999", "1e3", "0x10", "\uff11", "\u0663", "1 ", " 1", "", "1/", "/1")),
                weighted(1, pieces()));
    }

    /**
     * References: a scheme and a value of every kind, a bare name, the keywords in odd cases and
     * with whitespace, and whole references wrapped in whitespace.
     */
    public static Gen<String> references() {
        Gen<String> values = Gen.frequency(
                weighted(4, pieces()),
                weighted(2, unicode()),
                weighted(2, numbers()),
                weighted(1, Gen.combine(numbers(), numbers(), (pid, tid) -> pid + "/" + tid)),
                weighted(1, pieces().map(piece -> "/" + piece)),
                weighted(1, nearNameMax()),
                weighted(1, veryLong()));
        Gen<String> schemed = Gen.combine(schemes(), Gen.of(":", "::", ": "), values,
                (scheme, colon, value) -> scheme + colon + value);
        return Gen.frequency(
                weighted(6, schemed),
                weighted(2, names()),
                weighted(1, whitespaceAround(Gen.of("host", "current", "HOST", "Current", "host:", "current:x"))),
                weighted(1, whitespaceAround(schemed)));
    }
}
