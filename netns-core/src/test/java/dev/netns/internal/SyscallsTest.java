package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.NetnsException;
import org.junit.jupiter.api.Test;

class SyscallsTest {

    @Test
    void aRefusedSocketNamesItsArgumentsAndErrnoWithoutACapabilityHint() {
        // netlink protocols end below 32: the kernel refuses this one
        assertThatThrownBy(() -> Syscalls.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_RAW, 99, "AF_NETLINK, SOCK_RAW, 99"))
                .isExactlyInstanceOf(NetnsException.class)
                .hasMessage("socket(AF_NETLINK, SOCK_RAW, 99) failed: EPROTONOSUPPORT (Protocol not supported)");
    }

    @Test
    void inetNtopPrintsAddressesAsIpDoes() {
        assertThat(Syscalls.inetNtop(Syscalls.AF_INET, new byte[] {10, 0, 0, 1})).isEqualTo("10.0.0.1");
        assertThat(Syscalls.inetNtop(Syscalls.AF_INET, new byte[] {-1, -1, -1, -1})).isEqualTo("255.255.255.255");
        assertThat(ipv6("0000 0000 0000 0000 0000 0000 0000 0000")).isEqualTo("::");
        assertThat(ipv6("0000 0000 0000 0000 0000 0000 0000 0001")).isEqualTo("::1");
        assertThat(ipv6("fe80 0000 0000 0000 00fc 00ff fe00 0001")).isEqualTo("fe80::fc:ff:fe00:1");
        assertThat(ipv6("2001 0db8 0000 0000 0001 0000 0000 0001")).isEqualTo("2001:db8::1:0:0:1"); // first longest run
        assertThat(ipv6("2001 0db8 0000 0001 0000 0000 0000 0001")).isEqualTo("2001:db8:0:1::1"); // longest run
        assertThat(ipv6("0001 0000 0001 0000 0001 0000 0001 0000")).isEqualTo("1:0:1:0:1:0:1:0"); // no run of two
        assertThat(ipv6("0000 0000 0000 0000 0000 ffff 0102 0304")).isEqualTo("::ffff:1.2.3.4");
        assertThat(ipv6("FD00 0000 0000 0000 0000 0000 0000 00AB")).isEqualTo("fd00::ab");
        assertThatThrownBy(() -> Syscalls.inetNtop(Syscalls.AF_INET6, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** An IPv6 address from eight groups of four hex digits. */
    private static String ipv6(String groups) {
        String hex = groups.replace(" ", "");
        byte[] address = new byte[16];
        for (int i = 0; i < 16; i++) {
            address[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return Syscalls.inetNtop(Syscalls.AF_INET6, address);
    }
}
