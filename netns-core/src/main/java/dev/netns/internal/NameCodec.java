package dev.netns.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Names of named namespaces are byte strings on disk ({@code ip netns add} takes any bytes but
 * {@code /} and NUL); Java names are strings. This is the one mapping between the two, a bijection:
 * <ul>
 * <li>bytes that decode in the JVM's file name encoding ({@code sun.jnu.encoding}, from the
 *     locale) read as those characters;</li>
 * <li>every byte that does not is written {@code \xNN} (two lower-case hex digits), and so is a
 *     backslash that would otherwise start such an escape ({@code \x5c});</li>
 * <li>encoding undoes both: {@code \xNN} in a name is the byte {@code NN}.</li>
 * </ul>
 * So every name on disk lists as a printable string that opens it again, and a name typed with a
 * literal {@code \x41} means the byte {@code 0x41} ({@code A}); write {@code \x5cx41} for the four
 * characters.
 */
public final class NameCodec {

    /** NAME_MAX: the most bytes a name may have. */
    public static final int NAME_MAX = 255;

    private static final Charset CHARSET = fileNameCharset();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private NameCodec() {
    }

    private static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The charset names decode with. */
    public static Charset charset() {
        return CHARSET;
    }

    /**
     * A name's bytes on disk, after checking it by iproute2's rules.
     *
     * @throws IllegalArgumentException naming what is wrong: empty, {@code /} or NUL (also as an
     *     escape), {@code .} or {@code ..}, more than NAME_MAX bytes, an unpaired surrogate, or a
     *     character the file name encoding cannot hold
     */
    public static byte[] encode(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            throw invalid(name, "it is empty");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(name.length() + 8);
        CharsetEncoder encoder = CHARSET.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int literalStart = 0;
        for (int i = 0; i < name.length(); i++) {
            int escaped = escapedByteAt(name, i);
            if (escaped >= 0) {
                appendEncoded(encoder, name, literalStart, i, bytes);
                bytes.write(escaped);
                i += 3;
                literalStart = i + 1;
            }
        }
        appendEncoded(encoder, name, literalStart, name.length(), bytes);
        byte[] encoded = bytes.toByteArray();
        String problem = problem(encoded);
        if (problem != null) {
            throw invalid(name, problem);
        }
        return encoded;
    }

    private static void appendEncoded(CharsetEncoder encoder, String name, int from, int to, ByteArrayOutputStream out) {
        if (from >= to) {
            return;
        }
        CharSequence part = name.subSequence(from, to);
        if (hasUnpairedSurrogate(part)) {
            throw invalid(name, "it is not valid Unicode (an unpaired surrogate)");
        }
        try {
            ByteBuffer encoded = encoder.reset().encode(CharBuffer.wrap(part));
            out.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
        } catch (CharacterCodingException e) {
            throw invalid(name, "this JVM cannot encode it as a file name (sun.jnu.encoding="
                    + System.getProperty("sun.jnu.encoding") + "; a UTF-8 locale such as LANG=C.UTF-8 can, or write"
                    + " its bytes as \\xNN)");
        }
    }

    /** The byte {@code \xNN} at {@code i} stands for, or -1 when there is no such escape there. */
    private static int escapedByteAt(CharSequence text, int i) {
        if (i + 3 >= text.length() || text.charAt(i) != '\\' || text.charAt(i + 1) != 'x'
                || !isAsciiHex(text.charAt(i + 2)) || !isAsciiHex(text.charAt(i + 3))) {
            return -1;
        }
        return Character.digit(text.charAt(i + 2), 16) * 16 + Character.digit(text.charAt(i + 3), 16);
    }

    private static boolean isAsciiHex(char c) {
        return c < 128 && Character.digit(c, 16) >= 0;
    }

    private static @Nullable String problem(byte[] name) {
        if (name.length == 0) {
            return "it is empty";
        }
        for (byte b : name) {
            if (b == '/') {
                return "it contains '/'";
            }
            if (b == 0) {
                return "it contains a NUL character";
            }
        }
        if (name.length == 1 && name[0] == '.' || name.length == 2 && name[0] == '.' && name[1] == '.') {
            return "it is a directory reference";
        }
        if (name.length > NAME_MAX) {
            return "it is longer than " + NAME_MAX + " bytes";
        }
        return null;
    }

    /**
     * The name of bytes from disk: what decodes reads as text, the rest as {@code \xNN} escapes.
     * Never fails.
     */
    public static String decode(byte[] name) {
        CharsetDecoder decoder = CHARSET.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(name);
        CharBuffer out = CharBuffer.allocate(name.length * 4 + 4);
        StringBuilder text = new StringBuilder(name.length);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            flushEscapingBackslashes(out, text);
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    appendEscape(text, in.get());
                }
            } else if (result.isUnderflow()) {
                decoder.flush(out);
                flushEscapingBackslashes(out, text);
                return text.toString();
            }
        }
    }

    /**
     * Moves one run of decoded text over, escaping each backslash that {@link #encode} would read
     * as the start of an escape. A run ends where undecodable bytes begin, and their escapes start
     * with a backslash, never with {@code x}: no escape can straddle two runs.
     */
    private static void flushEscapingBackslashes(CharBuffer out, StringBuilder text) {
        out.flip();
        for (int i = 0; i < out.length(); i++) {
            if (escapedByteAt(out, i) >= 0) {
                text.append("\\x5c");
            } else {
                text.append(out.charAt(i));
            }
        }
        out.clear();
    }

    private static void appendEscape(StringBuilder text, byte b) {
        text.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }

    private static boolean hasUnpairedSurrogate(CharSequence name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static IllegalArgumentException invalid(@Nullable String name, String problem) {
        return new IllegalArgumentException("Invalid namespace name " + quote(name) + ": " + problem + " (a name is 1 to "
                + NAME_MAX + " bytes, without '/' or NUL, and not '.' or '..'; \\xNN stands for the byte NN)");
    }

    /** A name as messages show it: quoted, cut after 40 characters, NUL shown as {@code \0}. */
    public static String quote(@Nullable String name) {
        if (name == null) {
            return "null";
        }
        String shown = name.length() > 40 ? name.substring(0, 40) + "...(" + name.length() + " chars)" : name;
        return "'" + shown.replace("\0", "\\0") + "'";
    }
}
