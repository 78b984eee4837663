package io.k4j.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodIpPoolTest {

    private final PodIpPool pool = new PodIpPool(AddressPlan.podCidr(3, 10));

    @Test
    void podCidrsAreSlash24sFromTheSmallRangeUpTo256NodesAndTheLargeOneBeyond() {
        assertThat(AddressPlan.podCidr(0, 3)).hasToString("10.42.0.0/24");
        assertThat(AddressPlan.podCidr(255, 256)).hasToString("10.42.255.0/24");
        assertThat(AddressPlan.podCidr(0, 257)).hasToString("10.128.0.0/24");
        assertThat(AddressPlan.podCidr(1, 257)).hasToString("10.128.1.0/24");
        assertThat(AddressPlan.podCidr(256, 257)).hasToString("10.129.0.0/24");
        assertThat(AddressPlan.podCidr(AddressPlan.MAX_NODES - 1, AddressPlan.MAX_NODES)).hasToString("10.255.255.0/24");
        assertThatThrownBy(() -> AddressPlan.podCidr(0, AddressPlan.MAX_NODES + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AddressPlan.nodeIp(0)).isEqualTo("172.16.0.1");
        assertThat(AddressPlan.nodeIp(300)).isEqualTo("172.16.1.45");
    }

    @Test
    void eachPodKeepsItsAddressAndNoAddressIsSharedWhileInUse() {
        String first = pool.allocate("a", null).orElseThrow();
        assertThat(first).isEqualTo("10.42.3.2");
        assertThat(pool.allocate("a", null)).contains(first);
        Set<String> addresses = new HashSet<>();
        for (int pod = 0; pod < 253; pod++) {
            pool.allocate("pod-" + pod, null).ifPresent(addresses::add);
        }
        assertThat(addresses).hasSize(252).doesNotContain(first); // 253 hosts in all, one held by "a"
        assertThat(pool.allocate("one-too-many", null)).isEmpty();
        pool.release("pod-7");
        assertThat(pool.allocate("one-too-many", null)).isPresent();
        assertThat(pool.inUse()).isEqualTo(254 - 1);
    }

    @Test
    void aFreedAddressIsNotHandedOutAgainRightAway() {
        String a = pool.allocate("a", null).orElseThrow();
        pool.release("a");
        assertThat(pool.allocate("b", null)).isPresent().get().isNotEqualTo(a);
    }

    @Test
    void aPodKeepsTheAddressItHadIfItIsFreeAndInThisSubnet() {
        assertThat(pool.allocate("a", "10.42.3.77")).contains("10.42.3.77");
        assertThat(pool.allocate("b", "10.42.3.77")).isPresent().get().isNotEqualTo("10.42.3.77");
        assertThat(pool.allocate("c", "10.42.4.9")).isPresent().get().isNotEqualTo("10.42.4.9");
        assertThat(pool.allocate("d", "10.42.3.1")).isPresent().get().isNotEqualTo("10.42.3.1");
    }
}
