package io.k4j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.store.LeaseNotFoundException;
import org.junit.jupiter.api.Test;

class LeaseTableTest {

    private final LeaseTable leases = new LeaseTable();

    @Test
    void aLeaseExpiresExactlyAtItsTimeToLive() {
        leases.grant(1, 10_000, 1_000);
        assertThat(leases.expired(10_999)).isEmpty();
        assertThat(leases.isLive(1, 10_999)).isTrue();
        assertThat(leases.expired(11_000)).containsExactly(1L);
        assertThat(leases.isLive(1, 11_000)).isFalse();
    }

    @Test
    void keepAliveRestartsTheTimeToLive() {
        leases.grant(7, 10_000, 0);
        leases.keepAlive(7, 9_000);
        assertThat(leases.expired(18_999)).isEmpty();
        assertThat(leases.expired(19_000)).containsExactly(7L);
    }

    @Test
    void anExpiredLeaseCannotBeKeptAliveEvenBeforeItIsRevoked() {
        leases.grant(3, 1_000, 0);
        assertThatThrownBy(() -> leases.keepAlive(3, 1_000)).isInstanceOf(LeaseNotFoundException.class);
        assertThatThrownBy(() -> leases.keepAlive(99, 0)).isInstanceOf(LeaseNotFoundException.class);
    }

    @Test
    void aRemovedLeaseIsGone() {
        leases.grant(5, 1_000, 0);
        leases.remove(5);
        assertThat(leases.contains(5)).isFalse();
        assertThat(leases.expired(5_000)).isEmpty();
    }
}
