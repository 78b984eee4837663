package io.k4j.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.client.testing.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailedPodBackoffTest {

    @Test
    void killsAtOnceThenWaitsDoublingDelaysPerNode() {
        MutableClock clock = new MutableClock();
        FailedPodBackoff backoff = new FailedPodBackoff(clock);

        assertThat(backoff.tryKill("ns/agent", "n1")).isEmpty();
        assertThat(backoff.tryKill("ns/agent", "n1")).contains(Duration.ofSeconds(1));
        assertThat(backoff.tryKill("ns/agent", "n2")).as("another node").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(backoff.tryKill("ns/agent", "n1")).isEmpty();
        assertThat(backoff.tryKill("ns/agent", "n1")).contains(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(backoff.tryKill("ns/agent", "n1")).isEmpty();
        assertThat(backoff.tryKill("ns/agent", "n1")).contains(Duration.ofSeconds(4));

        backoff.forget("ns/agent");
        assertThat(backoff.tryKill("ns/agent", "n1")).isEqualTo(Optional.empty());
    }

    @Test
    void theDelayStopsGrowingAtFifteenMinutes() {
        MutableClock clock = new MutableClock();
        FailedPodBackoff backoff = new FailedPodBackoff(clock);
        for (int i = 0; i < 12; i++) {
            backoff.tryKill("ns/agent", "n1");
            clock.advance(backoff.tryKill("ns/agent", "n1").orElseThrow());
        }
        backoff.tryKill("ns/agent", "n1");
        assertThat(backoff.tryKill("ns/agent", "n1")).contains(Duration.ofMinutes(15));
    }
}
