package dev.netns.sample.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever asking a name server: {@link InetAddress#getByName}
 * only parses when it is handed a literal, so the text is checked to be one first.
 */
public final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpLiterals() {
    }

    /**
     * The address a literal stands for: a dotted quad, or an IPv6 address (brackets allowed, no
     * zone).
     *
     * @throws IllegalArgumentException when the text is not an IP address literal
     */
    public static InetAddress parse(String text) {
        String literal = text.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        boolean v4 = IPV4.matcher(literal).matches();
        boolean v6 = !v4 && literal.indexOf(':') >= 0 && IPV6.matcher(literal).matches();
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not an IP address literal"
                    + " (such as 10.213.1.2 or fd00:213:1::2; host names are not looked up)");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + shorten(text) + "' is not a valid IP address", e);
        }
    }

    static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
