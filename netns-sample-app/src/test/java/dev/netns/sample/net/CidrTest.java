package dev.netns.sample.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void parsesAddressesWithAndWithoutPrefix() {
        assertThat(Cidr.parse("10.213.1.2/24").toString()).isEqualTo("10.213.1.2/24");
        assertThat(Cidr.parse("10.213.1.2").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("fd00:213:1::2/64").isIpv4()).isFalse();
        assertThat(Cidr.parse("fd00:213:1::2").prefixLength()).isEqualTo(128);
    }

    @Test
    void refusesWhatIsNotAnAddressWithAPrefix() {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.213.1.300/24")).withMessageContaining("not an IP address");
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.213.1.1/33")).withMessageContaining("at most 32");
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.213.1.1/")).withMessageContaining("prefix length");
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("example.com/24")).withMessageContaining("not looked up");
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("fd00::1/129")).withMessageContaining("at most 128");
    }

    @Test
    void containsAndOverlapsCompareNetworks() {
        Cidr net = Cidr.parse("10.213.1.1/24");
        assertThat(net.contains(IpLiterals.parse("10.213.1.200"))).isTrue();
        assertThat(net.contains(IpLiterals.parse("10.213.2.1"))).isFalse();
        assertThat(net.contains(IpLiterals.parse("fd00::1"))).isFalse();
        assertThat(net.overlaps(Cidr.parse("10.213.0.0/16"))).isTrue();
        assertThat(net.overlaps(Cidr.parse("10.213.1.9/30"))).isTrue();
        assertThat(net.overlaps(Cidr.parse("10.213.2.1/24"))).isFalse();
        assertThat(Cidr.parse("fd00:213:1::1/64").overlaps(Cidr.parse("fd00::2/64"))).isFalse();
        assertThat(Cidr.parse("fd00:213:1::1/64").overlaps(Cidr.parse("fd00::/16"))).isTrue();
    }

    @Test
    void literalsAreNeverLookedUp() {
        assertThat(IpLiterals.parse("[::1]").isLoopbackAddress()).isTrue();
        assertThat(IpLiterals.parse(" 127.0.0.1 ").isLoopbackAddress()).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> IpLiterals.parse("localhost"));
        assertThatIllegalArgumentException().isThrownBy(() -> IpLiterals.parse("1.2.3"));
        assertThatIllegalArgumentException().isThrownBy(() -> IpLiterals.parse("fe80::1%eth0"));
    }
}
