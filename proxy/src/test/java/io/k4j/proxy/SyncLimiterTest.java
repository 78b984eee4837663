package io.k4j.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncLimiterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SyncLimiter limiter = new SyncLimiter(Duration.ofSeconds(1), Duration.ofSeconds(60));

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void nothingRunsBeforeTheFirstRequestAndTheFirstSyncIsFull() {
        assertThat(limiter.next(at(0))).isEqualTo(new SyncLimiter.Decision(false, false, null));
        limiter.request();
        assertThat(limiter.next(at(0))).isEqualTo(new SyncLimiter.Decision(true, true, Duration.ZERO));
    }

    @Test
    void atMostOneSyncPerMinInterval() {
        limiter.request();
        limiter.started(at(0), true);
        limiter.request();
        limiter.request();
        assertThat(limiter.next(at(300))).isEqualTo(new SyncLimiter.Decision(false, false, Duration.ofMillis(700)));
        assertThat(limiter.next(at(1000))).isEqualTo(new SyncLimiter.Decision(true, false, Duration.ZERO));
        limiter.started(at(1000), false);
        // The burst of requests before 1000 ms is served by that one sync.
        assertThat(limiter.next(at(1500))).isEqualTo(new SyncLimiter.Decision(false, false, Duration.ofMillis(58_500)));
    }

    @Test
    void aRequestDuringASyncCausesAnotherOne() {
        limiter.request();
        limiter.started(at(0), true);
        limiter.request(); // arrives while the sync runs
        assertThat(limiter.next(at(1000)).run()).isTrue();
    }

    @Test
    void fullResyncIsForcedPeriodically() {
        limiter.request();
        limiter.started(at(0), true);
        assertThat(limiter.next(at(59_999))).isEqualTo(new SyncLimiter.Decision(false, false, Duration.ofMillis(1)));
        assertThat(limiter.next(at(60_000))).isEqualTo(new SyncLimiter.Decision(true, true, Duration.ZERO));
        limiter.started(at(60_000), true);
        limiter.request();
        assertThat(limiter.next(at(61_000))).isEqualTo(new SyncLimiter.Decision(true, false, Duration.ZERO));
    }

    @Test
    void aFailedSyncIsRetriedInFullAfterMinInterval() {
        limiter.request();
        limiter.started(at(0), true);
        limiter.request();
        limiter.started(at(5000), false);
        limiter.failed();
        assertThat(limiter.next(at(5500))).isEqualTo(new SyncLimiter.Decision(false, false, Duration.ofMillis(500)));
        assertThat(limiter.next(at(6000))).isEqualTo(new SyncLimiter.Decision(true, true, Duration.ZERO));
    }
}
