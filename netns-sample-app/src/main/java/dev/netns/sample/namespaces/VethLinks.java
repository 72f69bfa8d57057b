package dev.netns.sample.namespaces;

import dev.netns.sample.net.Cidr;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * A veth pair between the host and a named namespace: {@code veth0} inside, and in the host a
 * name made of {@link #HOST_PREFIX} and a hash of the namespace's name, so that it is found
 * again for deletion (even after a restart) and never clashes with the host's own links.
 * Set up with {@code ip} (see {@link IpCommand}).
 */
public class VethLinks {

    /** Prefix of every host end this sample makes. */
    public static final String HOST_PREFIX = "nsh-";

    /** Name of the end inside the namespace. */
    public static final String NAMESPACE_END = "veth0";

    private final IpCommand ip;

    public VethLinks(IpCommand ip) {
        this.ip = ip;
    }

    /** The host end's name for a namespace: {@code nsh-} and 10 hex digits (15 characters at most, as Linux wants). */
    public static String hostEndOf(String namespace) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(namespace.getBytes(StandardCharsets.UTF_8));
            return HOST_PREFIX + HexFormat.of().formatHex(hash).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Creates the pair, brings both ends up and adds the addresses given (IPv6 ones without
     * duplicate address detection, so they are usable at once).
     *
     * @return the host end's name
     */
    public String create(String namespace, @Nullable Cidr hostAddress, @Nullable Cidr namespaceAddress) {
        String hostEnd = hostEndOf(namespace);
        ip.run("link", "add", hostEnd, "type", "veth", "peer", "name", NAMESPACE_END, "netns", namespace);
        if (hostAddress != null) {
            ip.run(addressArgs(null, hostAddress, hostEnd));
        }
        ip.run("link", "set", hostEnd, "up");
        if (namespaceAddress != null) {
            ip.run(addressArgs(namespace, namespaceAddress, NAMESPACE_END));
        }
        ip.run("-n", namespace, "link", "set", NAMESPACE_END, "up");
        return hostEnd;
    }

    /** Deletes the host end of a namespace's pair (and with it the other end), if there is one. */
    public void delete(String namespace) {
        ip.runQuietly("link", "del", hostEndOf(namespace));
    }

    private static String[] addressArgs(@Nullable String namespace, Cidr address, String device) {
        String cidr = address.toString();
        if (namespace == null) {
            return address.isIpv4() ? new String[] {"addr", "add", cidr, "dev", device}
                    : new String[] {"addr", "add", cidr, "dev", device, "nodad"};
        }
        return address.isIpv4() ? new String[] {"-n", namespace, "addr", "add", cidr, "dev", device}
                : new String[] {"-n", namespace, "addr", "add", cidr, "dev", device, "nodad"};
    }
}
