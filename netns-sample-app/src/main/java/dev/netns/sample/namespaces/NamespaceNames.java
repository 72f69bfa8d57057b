package dev.netns.sample.namespaces;

import java.util.regex.Pattern;

/**
 * The names the sample creates namespaces under: stricter than iproute2's (any bytes but '/' and
 * NUL), so that a name is safe on an {@code ip} command line and readable on the dashboard.
 * Namespaces made by other tools, under any name {@code ip} accepts, can still be listed and
 * deleted.
 */
public final class NamespaceNames {

    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private NamespaceNames() {
    }

    /**
     * Checks a name for a new namespace.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String requireValidNewName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Invalid namespace name: it is empty");
        }
        if (!PATTERN.matcher(name).matches()) {
            String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
            throw new IllegalArgumentException("Invalid namespace name '" + shown.replace("\0", "\\0") + "': use 1 to 64"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
