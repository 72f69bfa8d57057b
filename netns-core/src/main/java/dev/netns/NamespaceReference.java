package dev.netns;

import dev.netns.internal.NamedNamespaces;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A textual reference to a network namespace, {@code scheme:value}:
 * <ul>
 * <li>{@code name:blue} (or just {@code blue}): a named namespace, as {@code ip netns} names them;</li>
 * <li>{@code path:/run/netns/blue}: a namespace file, by absolute path;</li>
 * <li>{@code pid:1234}: the namespace of a process;</li>
 * <li>{@code thread:1234/1240}: the namespace of one thread of a process;</li>
 * <li>{@code docker:web} (id, unique id prefix or name): the namespace of a running container;</li>
 * <li>{@code host}: this JVM's own namespace ({@code /proc/self/ns/net}, the launcher thread's);</li>
 * <li>{@code current}: the calling thread's namespace.</li>
 * </ul>
 * {@code host} and {@code current} are keywords, exactly so, in lower case: a namespace named so
 * is {@code name:host}, and any other spelling ({@code Current}, {@code HOST}) is a name. Aliases
 * may not be called {@code host} or {@code current} in any case.
 *
 * <p>A name may hold {@code \xNN} escapes for bytes ({@link Netns#listNamed()}).
 *
 * @param scheme one of {@link #SCHEMES}
 * @param value the scheme's value, empty for {@code host} and {@code current}
 */
public record NamespaceReference(String scheme, String value) {

    /** The schemes {@link #parse} understands. */
    public static final Set<String> SCHEMES = Set.of("name", "path", "pid", "thread", "docker", "host", "current");

    private static final String FORMS = "valid forms: NAME, name:NAME, path:/ABSOLUTE/PATH, pid:PID, thread:PID/TID,"
            + " docker:ID-PREFIX-OR-NAME, host, current";
    private static final Pattern DOCKER_ID = Pattern.compile("/?[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");

    /** Checks the reference; the same rules as {@link #parse}. */
    public NamespaceReference {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(value, "value");
        String problem = problem(scheme, value);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid namespace reference '" + show(scheme, value) + "': " + problem
                    + " (" + FORMS + ")");
        }
    }

    /**
     * Parses {@code scheme:value}; a word without a scheme is a name.
     *
     * @throws IllegalArgumentException naming what is wrong and listing the valid forms
     */
    public static NamespaceReference parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Invalid namespace reference '" + (text == null ? "null" : text)
                    + "': it is empty (" + FORMS + ")");
        }
        String trimmed = text.strip();
        if (trimmed.equals("host") || trimmed.equals("current")) {
            return new NamespaceReference(trimmed, "");
        }
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            return new NamespaceReference("name", trimmed);
        }
        String scheme = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
        if (scheme.equals("host") || scheme.equals("current")) {
            // "HOST:" would otherwise be the keyword in another spelling
            throw new IllegalArgumentException("Invalid namespace reference '" + show(scheme, trimmed.substring(colon + 1))
                    + "': '" + scheme + "' is a keyword, written alone in lower case, without ':' (" + FORMS + ")");
        }
        return new NamespaceReference(scheme, trimmed.substring(colon + 1));
    }

    /**
     * Whether a word is {@code host} or {@code current} in any case: such a word may not be an
     * alias, which would hide the keyword or be mistaken for it.
     */
    public static boolean isKeywordInAnyCase(String word) {
        String lower = word.strip().toLowerCase(Locale.ROOT);
        return lower.equals("host") || lower.equals("current");
    }

    /** A reference to a named namespace. */
    public static NamespaceReference name(String name) {
        return new NamespaceReference("name", name);
    }

    /** A reference to a process's namespace. */
    public static NamespaceReference pid(int pid) {
        return new NamespaceReference("pid", Integer.toString(pid));
    }

    private static @Nullable String problem(String scheme, String value) {
        switch (scheme) {
            case "host":
            case "current":
                return value.isEmpty() ? null : "'" + scheme + "' takes no value";
            case "name":
                try {
                    NamedNamespaces.validateName(value);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            case "path":
                if (value.isEmpty()) {
                    return "the path is empty";
                }
                return value.startsWith("/") && value.indexOf('\0') < 0 ? null : "the path must be absolute";
            case "pid":
                return positive(value, "pid");
            case "thread": {
                int slash = value.indexOf('/');
                if (slash < 0) {
                    return "a thread is PID/TID";
                }
                String pid = positive(value.substring(0, slash), "pid");
                return pid != null ? pid : positive(value.substring(slash + 1), "tid");
            }
            case "docker":
                if (value.isEmpty()) {
                    return "the container id or name is empty";
                }
                return DOCKER_ID.matcher(value).matches() ? null : "not a container id, id prefix or name";
            default:
                return "unknown scheme '" + scheme + "'";
        }
    }

    private static @Nullable String positive(String text, String what) {
        if (text.isEmpty()) {
            return "the " + what + " is empty";
        }
        if (text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "the " + what + " '" + text + "' is not a positive number";
        }
        long number = Long.parseLong(text);
        return number > 0 && number <= Integer.MAX_VALUE ? null : "the " + what + " must be a positive int";
    }

    /** The pid of a {@code pid:} or {@code thread:} reference. */
    public int pid() {
        if (scheme.equals("pid")) {
            return Integer.parseInt(value);
        }
        if (scheme.equals("thread")) {
            return Integer.parseInt(value.substring(0, value.indexOf('/')));
        }
        throw new IllegalStateException(this + " is not a pid or thread reference");
    }

    /** The tid of a {@code thread:} reference. */
    public int tid() {
        if (!scheme.equals("thread")) {
            throw new IllegalStateException(this + " is not a thread reference");
        }
        return Integer.parseInt(value.substring(value.indexOf('/') + 1));
    }

    /**
     * The label the executor of this reference's namespace gets (thread names, metrics): the name
     * of a {@code name:} or {@code docker:} reference, {@code host} for {@code host}; {@code null}
     * for the others, whose values (pids, paths) would make labels without bound: the namespace id
     * names their executor.
     */
    @Nullable String executorLabel() {
        return switch (scheme) {
            case "name", "docker" -> value;
            case "host" -> "host";
            default -> null;
        };
    }

    private static String show(String scheme, String value) {
        String text = value.isEmpty() ? scheme : scheme + ":" + value;
        return text.length() > 80 ? text.substring(0, 80) + "..." : text.replace("\0", "\\0");
    }

    /**
     * {@code scheme:value}, or just the keyword for {@code host} and {@code current}. It parses back
     * to an equal reference, unless the value ends with whitespace: {@link #parse} strips the text,
     * so {@code name:blue } parses as {@code name:blue}. Every reference {@code parse} returns
     * survives the round trip.
     */
    @Override
    public String toString() {
        return value.isEmpty() ? scheme : scheme + ":" + value;
    }
}
