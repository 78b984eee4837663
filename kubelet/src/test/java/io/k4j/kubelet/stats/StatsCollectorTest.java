package io.k4j.kubelet.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.kubelet.prober.FakeRuntimes;
import io.k4j.kubelet.prober.ManualTaskScheduler;
import io.k4j.kubelet.runtime.ContainerStats;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatsCollectorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualTaskScheduler scheduler = new ManualTaskScheduler(T0);
    private final Map<String, Deque<ContainerStats>> samples = new HashMap<>();
    private final List<String> asked = new java.util.ArrayList<>();
    private final StatsCollector collector = new StatsCollector(FakeRuntimes.backedBy(new Object() {
        @SuppressWarnings("unused")
        public ContainerStats stats(String id) throws IOException {
            asked.add(id + "@" + Duration.between(T0, scheduler.instant()).toSeconds());
            Deque<ContainerStats> queue = samples.get(id);
            if (queue == null || queue.isEmpty()) {
                throw new IOException("container " + id + " not found");
            }
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }), scheduler, Duration.ofSeconds(10));

    private void sample(String id, long secondsAfterT0, long cpuNanos, long workingSet) {
        samples.computeIfAbsent(id, k -> new ArrayDeque<>()).add(new ContainerStats(id,
                T0.plusSeconds(secondsAfterT0), cpuNanos, workingSet + 100, workingSet));
    }

    @Test
    void derivesNanocoresFromTwoConsecutiveSamples() {
        sample("c1", 0, 1_000_000_000L, 4096);
        sample("c1", 10, 1_500_000_000L, 8192); // 0.5 s of CPU in 10 s: 0.05 cores
        sample("c1", 20, 21_500_000_000L, 8192); // 20 s of CPU in 10 s: 2 cores
        collector.track("c1");
        collector.start();

        scheduler.runDue();
        assertThat(collector.usage("c1")).contains(
                new Usage(T0, OptionalLong.empty(), 1_000_000_000L, 4096, 4196));
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(collector.usage("c1")).contains(
                new Usage(T0.plusSeconds(10), OptionalLong.of(50_000_000L), 1_500_000_000L, 8192, 8292));
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(collector.usage("c1").orElseThrow().usageNanoCores()).hasValue(2_000_000_000L);
    }

    @Test
    void rateIsExactForUnevenIntervalsAndLargeCounters() {
        Usage first = StatsCollector.next(null, new ContainerStats("c", T0, Long.MAX_VALUE / 2, 0, 0));
        Usage second = StatsCollector.next(first, new ContainerStats("c", T0.plusMillis(3_000),
                Long.MAX_VALUE / 2 + 1_000_000_000L, 0, 0));

        assertThat(second.usageNanoCores()).hasValue(333_333_333L);
    }

    @Test
    void aCounterThatWentBackwardsHasNoRateAndTheSameSampleKeepsTheLastRate() {
        Usage first = StatsCollector.next(null, new ContainerStats("c", T0, 5_000, 0, 0));
        Usage second = StatsCollector.next(first, new ContainerStats("c", T0.plusSeconds(1), 6_000, 0, 0));
        Usage repeated = StatsCollector.next(second, new ContainerStats("c", T0.plusSeconds(1), 6_000, 0, 0));
        Usage restarted = StatsCollector.next(repeated, new ContainerStats("c", T0.plusSeconds(2), 10, 0, 0));

        assertThat(second.usageNanoCores()).hasValue(1_000L);
        assertThat(repeated.usageNanoCores()).hasValue(1_000L);
        assertThat(restarted.usageNanoCores()).isEmpty();
    }

    @Test
    void pollsOnlyTrackedContainersEveryIntervalAndForgetsUntrackedOnes() {
        sample("c1", 0, 0, 1);
        sample("c2", 0, 0, 2);
        collector.track("c1");
        collector.start();
        scheduler.runDue();
        collector.track("c2");
        scheduler.advance(Duration.ofSeconds(10));
        collector.untrack("c1");
        scheduler.advance(Duration.ofSeconds(10));

        assertThat(asked).containsExactly("c1@0", "c1@10", "c2@10", "c2@20");
        assertThat(collector.usage("c1")).isEmpty();
        assertThat(collector.usage("c2")).isPresent();

        collector.close();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aContainerTheRuntimeCannotMeasureHasNoUsageYet() {
        collector.track("gone");
        collector.poll();

        assertThat(collector.usage("gone")).isEmpty();
    }
}
