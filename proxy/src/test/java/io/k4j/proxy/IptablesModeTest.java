package io.k4j.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IptablesModeTest {

    private static final String NFT_VERSION = "iptables v1.8.9 (nf_tables)";
    private static final String LEGACY_VERSION = "iptables v1.8.9 (legacy)";

    @Test
    void kubeletMarkerChainsDecide() {
        assertThat(IptablesMode.choose("*mangle\n:KUBE-IPTABLES-HINT - [0:0]\nCOMMIT\n", "", NFT_VERSION))
                .isEqualTo(IptablesMode.LEGACY);
        assertThat(IptablesMode.choose("-A INPUT -j ACCEPT\n-A INPUT -j DROP\n",
                "*mangle\n:KUBE-KUBELET-CANARY - [0:0]\n", LEGACY_VERSION)).isEqualTo(IptablesMode.NFT);
    }

    @Test
    void thenTheBackEndWithMoreRules() {
        assertThat(IptablesMode.choose("-A INPUT -j ACCEPT\n", "", NFT_VERSION)).isEqualTo(IptablesMode.LEGACY);
        assertThat(IptablesMode.choose("", "-A INPUT -j ACCEPT\n", LEGACY_VERSION)).isEqualTo(IptablesMode.NFT);
    }

    @Test
    void thenWhatThePlainCommandUses() {
        assertThat(IptablesMode.choose("", "", NFT_VERSION)).isEqualTo(IptablesMode.NFT);
        assertThat(IptablesMode.choose("", "", LEGACY_VERSION)).isEqualTo(IptablesMode.LEGACY);
        assertThat(IptablesMode.choose("", "", "")).isEqualTo(IptablesMode.NFT);
    }
}
