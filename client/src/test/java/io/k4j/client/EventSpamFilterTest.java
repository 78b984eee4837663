package io.k4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventSpamFilterTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final EventSpamFilter filter = new EventSpamFilter(clock);

    @Test
    void anObjectGets25EventsAtOnceThenOnePerFiveMinutes() {
        for (int i = 0; i < 25; i++) {
            assertThat(filter.allow("rs-uid")).as("event %d", i + 1).isTrue();
        }
        assertThat(filter.allow("rs-uid")).isFalse();
        assertThat(filter.allow("other-uid")).as("every object has its own bucket").isTrue();

        now = now.plus(Duration.ofMinutes(5)).minusMillis(1);
        assertThat(filter.allow("rs-uid")).isFalse();
        now = now.plusMillis(1);
        assertThat(filter.allow("rs-uid")).isTrue();
        assertThat(filter.allow("rs-uid")).isFalse();
    }

    @Test
    void aQuietObjectRefillsOnlyUpToTheBurst() {
        for (int i = 0; i < 25; i++) {
            filter.allow("uid");
        }
        now = now.plus(Duration.ofDays(1));
        int allowed = 0;
        while (filter.allow("uid")) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(25);
    }
}
