package dev.netns.sample.testsupport;

import dev.netns.sample.namespaces.VethLinks;
import dev.netns.testsupport.Commands;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Addresses for a test's veth pairs, inside 10.213.0.0/16 and fd00:213::/48 (a third octet picked
 * at random, so that tests running at once on one machine rarely share a network), and clean-up
 * of the host ends the sample makes.
 */
public final class SampleNetworks {

    private final int net = 100 + ThreadLocalRandom.current().nextInt(150);

    /** {@code 10.213.N.HOST/24}. */
    public String ipv4(int host) {
        return "10.213." + net + "." + host + "/24";
    }

    /** {@code 10.213.N.HOST}. */
    public String ipv4Address(int host) {
        return "10.213." + net + "." + host;
    }

    /** {@code fd00:213:N::HOST/64}. */
    public String ipv6(int host) {
        return "fd00:213:" + net + "::" + host + "/64";
    }

    /** {@code fd00:213:N::HOST}. */
    public String ipv6Address(int host) {
        return "fd00:213:" + net + "::" + host;
    }

    /** {@code fd00:213:N:abcd:ffff:eeee:dddd:cc0HOST/64}: an IPv6 address as long as they get, with no zeros to compress. */
    public String ipv6Long(int host) {
        return "fd00:213:" + net + ":abcd:ffff:eeee:dddd:cc0" + host + "/64";
    }

    /** Removes the host end of the sample's veth pair for each namespace, if it is there. */
    public static void removeHostEnds(List<String> namespaces) {
        for (String name : namespaces) {
            String hostEnd = VethLinks.hostEndOf(name);
            if (Commands.run(List.of("ip", "link", "show", "dev", hostEnd)).exitCode() == 0) {
                Commands.run(List.of("ip", "link", "del", hostEnd));
            }
        }
    }

    /** Whether the host has a link of that name. */
    public static boolean hostLinkExists(String name) {
        return Commands.run(List.of("ip", "link", "show", "dev", name)).exitCode() == 0;
    }
}
