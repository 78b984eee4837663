package io.k4j.client.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.client.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    private final MutableClock clock = new MutableClock();
    private final WorkQueue<String> queue = new WorkQueue<>(clock);

    @Test
    void anItemAddedTwiceBeforeAWorkerTakesItIsProcessedOnce() {
        queue.add("a");
        queue.add("b");
        queue.add("a");

        assertThat(queue.poll()).isEqualTo("a");
        assertThat(queue.poll()).isEqualTo("b");
        assertThat(queue.poll()).isNull();
    }

    @Test
    void anItemAddedWhileProcessedComesBackOnlyWhenTheWorkerIsDone() {
        queue.add("a");
        String taken = queue.poll();
        queue.add("a");

        assertThat(queue.poll()).as("never on two workers at once").isNull();
        queue.done(taken);
        assertThat(queue.poll()).isEqualTo("a");
    }

    @Test
    void delayedItemsAreReadyOnlyOnceTheClockPassesTheirTime() {
        queue.addAfter("late", Duration.ofSeconds(10));
        queue.addAfter("early", Duration.ofSeconds(5));

        clock.advance(Duration.ofMillis(4_999));
        assertThat(queue.poll()).isNull();
        clock.advance(Duration.ofMillis(1));
        assertThat(queue.poll()).isEqualTo("early");
        clock.advance(Duration.ofSeconds(5));
        assertThat(queue.poll()).isEqualTo("late");
    }

    @Test
    void theEarlierOfTwoDelaysForOneItemWins() {
        queue.addAfter("a", Duration.ofSeconds(10));
        queue.addAfter("a", Duration.ofSeconds(2));

        clock.advance(Duration.ofSeconds(2));
        assertThat(queue.poll()).isEqualTo("a");
        queue.done("a");
        clock.advance(Duration.ofSeconds(10));
        assertThat(queue.poll()).as("the later delay was superseded").isNull();
    }

    @Test
    void failuresBackOffExponentiallyFrom5MsUntilForgotten() {
        queue.addRateLimited("a"); // 5 ms
        clock.advance(Duration.ofMillis(5));
        assertThat(queue.poll()).isEqualTo("a");
        queue.done("a");

        queue.addRateLimited("a"); // 10 ms
        clock.advance(Duration.ofMillis(9));
        assertThat(queue.poll()).isNull();
        clock.advance(Duration.ofMillis(1));
        assertThat(queue.poll()).isEqualTo("a");
        queue.done("a");
        assertThat(queue.failures("a")).isEqualTo(2);

        queue.forget("a");
        queue.addRateLimited("a");
        clock.advance(Duration.ofMillis(5));
        assertThat(queue.poll()).isEqualTo("a");
    }

    @Test
    void backoffIsCappedAt1000Seconds() {
        ItemBackoff<String> backoff = new ItemBackoff<>();
        Duration last = Duration.ZERO;
        for (int i = 0; i < 100; i++) {
            last = backoff.next("a");
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(1000));
    }
}
