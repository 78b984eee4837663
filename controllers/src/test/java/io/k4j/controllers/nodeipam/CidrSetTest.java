package io.k4j.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrSetTest {

    @Test
    void hands24sOutInOrderSkippingTakenOnesUntilFull() {
        CidrSet set = new CidrSet("10.42.0.0/22", 24);
        assertThat(set.occupy("10.42.1.0/24")).isTrue();
        assertThat(set.occupy("10.43.0.0/24")).isFalse(); // outside the cluster CIDR
        assertThat(set.occupy("10.42.2.0/25")).isFalse(); // another size
        assertThat(set.allocateNext()).isEqualTo("10.42.0.0/24");
        assertThat(set.allocateNext()).isEqualTo("10.42.2.0/24");
        assertThat(set.allocateNext()).isEqualTo("10.42.3.0/24");
        assertThat(set.allocateNext()).isNull();
        set.release("10.42.2.0/24");
        assertThat(set.allocateNext()).isEqualTo("10.42.2.0/24");
    }

    @Test
    void theDefaultClusterCidrHolds256Nodes() {
        CidrSet set = new CidrSet("10.42.0.0/16", 24);
        String last = null;
        for (int i = 0; i < 256; i++) {
            last = set.allocateNext();
        }
        assertThat(last).isEqualTo("10.42.255.0/24");
        assertThat(set.allocateNext()).isNull();
    }

    @Test
    void badCidrsAreRefusedWithAReason() {
        assertThatThrownBy(() -> NodeIpamController.checkClusterCidr("10.42.0.0", 24))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.42.0.0/16");
        assertThatThrownBy(() -> NodeIpamController.checkClusterCidr("10.42.0.0/16", 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask size");
        assertThatThrownBy(() -> NodeIpamController.checkClusterCidr("ten.42.0.0/16", 24))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
