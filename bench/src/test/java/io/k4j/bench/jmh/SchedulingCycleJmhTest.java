package io.k4j.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.scheduler.core.ScheduleResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduling-cycle benchmark keeps its cluster at the workload's size however many cycles JMH runs. */
class SchedulingCycleJmhTest {

    @Test
    void schedulingBasicScoresUpstreamsShareOfTheNodesCycleAfterCycle() throws Exception {
        SchedulingCycleJmh benchmark = benchmark("SchedulingBasic");
        for (int i = 0; i < 3 * SchedulingCycleJmh.MOVING; i++) {
            ScheduleResult result = benchmark.scheduleOne();
            assertThat(result.feasibleNodes()).isEqualTo(500); // 10% of 5,000 nodes, as upstream's adaptive share
        }
    }

    @Test
    void antiAffinePodsLeaveTheirNodesSoTheNextOnesFitForever() throws Exception {
        SchedulingCycleJmh benchmark = benchmark("PodAntiAffinity");
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 3 * SchedulingCycleJmh.MOVING; i++) {
            nodes.add(benchmark.scheduleOne().node());
        }
        List<String> lastOnNodes = nodes.subList(nodes.size() - SchedulingCycleJmh.MOVING, nodes.size());
        assertThat(new HashSet<>(lastOnNodes)).hasSize(SchedulingCycleJmh.MOVING); // one per node, as required
    }

    private static SchedulingCycleJmh benchmark(String workload) throws Exception {
        SchedulingCycleJmh benchmark = new SchedulingCycleJmh();
        benchmark.workload = workload;
        benchmark.setUp();
        return benchmark;
    }
}
