package io.k4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.client.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventSpamFilterTest {

    private final MutableClock clock = new MutableClock();
    private final EventSpamFilter filter = new EventSpamFilter(clock);

    @Test
    void anObjectGets25EventsAtOnceThenOnePerFiveMinutes() {
        for (int i = 0; i < 25; i++) {
            assertThat(filter.allow("rs-uid")).as("event %d", i + 1).isTrue();
        }
        assertThat(filter.allow("rs-uid")).isFalse();
        assertThat(filter.allow("other-uid")).as("every object has its own bucket").isTrue();

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(filter.allow("rs-uid")).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(filter.allow("rs-uid")).isTrue();
        assertThat(filter.allow("rs-uid")).isFalse();
    }

    @Test
    void aQuietObjectRefillsOnlyUpToTheBurst() {
        for (int i = 0; i < 25; i++) {
            filter.allow("uid");
        }
        clock.advance(Duration.ofDays(1));
        int allowed = 0;
        while (filter.allow("uid")) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(25);
    }

    @Test
    void itRemembersTheLeastRecentlyUsedObjectsUpToItsLimit() {
        for (int i = 0; i < 25; i++) {
            filter.allow("busy");
        }
        assertThat(filter.allow("busy")).isFalse();
        for (int i = 0; i < EventSpamFilter.MAX_TRACKED - 1; i++) {
            filter.allow("pod-" + i);
        }
        assertThat(filter.allow("busy")).as("used more recently than all but one of the others: still limited").isFalse();
        for (int i = 0; i < EventSpamFilter.MAX_TRACKED; i++) {
            filter.allow("later-" + i);
        }
        assertThat(filter.tracked()).isEqualTo(EventSpamFilter.MAX_TRACKED);
        assertThat(filter.allow("busy")).as("forgotten, so it starts with a full bucket again").isTrue();
    }
}
