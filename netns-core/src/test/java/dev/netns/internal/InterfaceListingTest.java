package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the listing prints what the kernel gives in numbers and bytes; the records are checked against ip elsewhere. */
class InterfaceListingTest {

    @Test
    void linkLayerAddressesAndScopesReadAsIpPrintsThem() {
        byte[] mac = {0x02, (byte) 0xfc, 0, 0, 0, 0x01};
        assertThat(InterfaceListing.linkLayerAddress(mac, 1)).isEqualTo("02:fc:00:00:00:01"); // ARPHRD_ETHER
        assertThat(InterfaceListing.linkLayerAddress(new byte[6], 772)).isEqualTo("00:00:00:00:00:00"); // loopback
        assertThat(InterfaceListing.linkLayerAddress(new byte[] {10, 0, 0, 1}, 776)).isEqualTo("10.0.0.1"); // sit
        assertThat(InterfaceListing.linkLayerAddress(new byte[] {10, 0, 0, 1}, 1)).isEqualTo("0a:00:00:01");
        assertThat(InterfaceListing.scopeName(0)).isEqualTo("global");
        assertThat(InterfaceListing.scopeName(200)).isEqualTo("site");
        assertThat(InterfaceListing.scopeName(253)).isEqualTo("link");
        assertThat(InterfaceListing.scopeName(254)).isEqualTo("host");
        assertThat(InterfaceListing.scopeName(255)).isEqualTo("nowhere");
        assertThat(InterfaceListing.scopeName(42)).isEqualTo("42");
    }
}
