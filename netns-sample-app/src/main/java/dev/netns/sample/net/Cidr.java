package dev.netns.sample.net;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address with a prefix length, {@code 10.213.1.1/24} or {@code fd00:213:1::1/64}: an
 * interface address to configure, or a network to allow.
 *
 * @param address the address as written (host bits kept)
 * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > bits(address)) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range for " + address.getHostAddress());
        }
    }

    /**
     * Parses {@code ADDRESS/PREFIX}; a bare address is a single host (/32 or /128).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        InetAddress address = IpLiterals.parse(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (slash < 0) {
            return new Cidr(address, bits(address));
        }
        String prefix = trimmed.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + IpLiterals.shorten(text) + "' has no valid prefix length after '/'");
        }
        int length = Integer.parseInt(prefix);
        if (length > bits(address)) {
            throw new IllegalArgumentException("'" + IpLiterals.shorten(text) + "': the prefix length must be at most "
                    + bits(address));
        }
        return new Cidr(address, length);
    }

    /** Whether this is an IPv4 address. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** Whether {@code other} lies in this network. */
    public boolean contains(InetAddress other) {
        if (other.getClass() != address.getClass()) {
            return false;
        }
        return network(address, prefixLength).equals(network(other, prefixLength));
    }

    /** Whether the two networks share an address. */
    public boolean overlaps(Cidr other) {
        if (other.address.getClass() != address.getClass()) {
            return false;
        }
        int shorter = Math.min(prefixLength, other.prefixLength);
        return network(address, shorter).equals(network(other.address, shorter));
    }

    private static BigInteger network(InetAddress address, int prefixLength) {
        int bits = bits(address);
        return new BigInteger(1, address.getAddress()).shiftRight(bits - prefixLength);
    }

    private static int bits(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    /** {@code ADDRESS/PREFIX}, the address in its canonical text form. */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
