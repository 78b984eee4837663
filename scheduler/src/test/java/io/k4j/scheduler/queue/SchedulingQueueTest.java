package io.k4j.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.client.testing.MutableClock;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.QueueSortPlugin;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.testing.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {

    private final MutableClock clock = new MutableClock();
    /** Priority first, then enqueue time: what PrioritySort does. */
    private final QueueSortPlugin byPriority = new QueueSortPlugin() {
        @Override
        public boolean less(QueuedPod a, QueuedPod b) {
            return a.pod().priority() > b.pod().priority()
                    || a.pod().priority() == b.pod().priority() && a.enqueued().isBefore(b.enqueued());
        }

        @Override
        public String name() {
            return "PrioritySort";
        }
    };
    private final Map<String, List<EnqueueExtensions.Registration>> registrations = Map.of(
            "Fit", List.of(EnqueueExtensions.Registration.of(
                    ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD))),
            "Gates", List.of(EnqueueExtensions.Registration.of(ClusterEvent.of(ClusterEvent.Resource.UNSCHEDULED_POD,
                    ClusterEvent.Action.UPDATE_POD_SCHEDULING_GATES_ELIMINATED))));

    private SchedulingQueue queue(Function<PodInfo, Status> preEnqueue) {
        return new SchedulingQueue(clock, byPriority, preEnqueue, registrations);
    }

    private SchedulingQueue queue() {
        return queue(pod -> Status.success());
    }

    private static String popName(SchedulingQueue queue) throws InterruptedException {
        QueuedPod popped = queue.pop(Duration.ZERO);
        return popped == null ? null : popped.pod().name();
    }

    @Test
    void popsHigherPriorityFirstThenInArrivalOrder() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(TestPods.info("low", 0, "1"));
        clock.advance(Duration.ofMillis(1));
        queue.add(TestPods.info("high", 100, "1"));
        clock.advance(Duration.ofMillis(1));
        queue.add(TestPods.info("low-later", 0, "1"));
        assertThat(popName(queue)).isEqualTo("high");
        assertThat(popName(queue)).isEqualTo("low");
        assertThat(popName(queue)).isEqualTo("low-later");
        assertThat(popName(queue)).isNull();
    }

    @Test
    void anUnschedulablePodWaitsForAnEventItsRejectingPluginRegistered() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(TestPods.info("a", 0, "1"));
        QueuedPod popped = queue.pop(Duration.ZERO);
        long cycle = queue.schedulingCycle();
        popped.rejectedBy(Set.of("Fit"));
        queue.requeueFailed(popped, cycle);
        assertThat(queue.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 1));

        queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.ADD), null, null);
        assertThat(queue.sizes().unschedulable()).as("an event Fit did not register for").isEqualTo(1);

        queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD), null, null);
        assertThat(queue.sizes()).as("still inside its 1 s backoff").isEqualTo(new SchedulingQueue.Sizes(0, 1, 0));
        clock.advance(Duration.ofSeconds(1));
        queue.flush();
        assertThat(popName(queue)).isEqualTo("a");
    }

    @Test
    void anEventDuringTheAttemptSendsTheFailedPodToBackoffNotToTheParkedPods() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(TestPods.info("a", 0, "1"));
        QueuedPod popped = queue.pop(Duration.ZERO);
        long cycle = queue.schedulingCycle();
        queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.DELETE), null, null);
        popped.rejectedBy(Set.of("Fit"));
        queue.requeueFailed(popped, cycle);
        assertThat(queue.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 1, 0));
    }

    @Test
    void backoffDoublesFromOneSecondUpToTen() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(TestPods.info("a", 0, "1"));
        long[] expectedSeconds = {1, 2, 4, 8, 10, 10};
        for (long seconds : expectedSeconds) {
            QueuedPod popped = queue.pop(Duration.ZERO);
            queue.requeueFailed(popped, queue.schedulingCycle()); // an error: no rejecting plugin, so backoff
            clock.advance(Duration.ofSeconds(seconds).minusMillis(1));
            queue.flush();
            assertThat(queue.pop(Duration.ZERO)).as("before %d s", seconds).isNull();
            clock.advance(Duration.ofMillis(1));
            queue.flush();
            assertThat(queue.sizes().active()).as("after %d s", seconds).isEqualTo(1);
        }
    }

    @Test
    void parkedPodsReturnAfterFiveMinutesEvenWithoutAnEvent() throws Exception {
        SchedulingQueue queue = queue();
        queue.add(TestPods.info("a", 0, "1"));
        QueuedPod popped = queue.pop(Duration.ZERO);
        popped.rejectedBy(Set.of("Fit"));
        queue.requeueFailed(popped, queue.schedulingCycle());
        clock.advance(Duration.ofMinutes(5));
        queue.flush();
        assertThat(queue.sizes().unschedulable()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        queue.flush();
        assertThat(popName(queue)).isEqualTo("a");
    }

    @Test
    void aGatedPodEntersOnlyWhenPreEnqueueLetsIt() throws Exception {
        boolean[] gated = {true};
        SchedulingQueue queue = queue(pod -> gated[0] ? Status.of(io.k4j.scheduler.framework.Code.PENDING, "gated")
                .withPlugin("Gates") : Status.success());
        queue.add(TestPods.info("a", 0, "1"));
        assertThat(queue.sizes()).isEqualTo(new SchedulingQueue.Sizes(0, 0, 1));
        gated[0] = false;
        queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.UNSCHEDULED_POD,
                ClusterEvent.Action.UPDATE_POD_SCHEDULING_GATES_ELIMINATED), null, null);
        assertThat(popName(queue)).as("gated pods skip backoff").isEqualTo("a");
    }

    @Test
    void deletedPodsLeaveEveryPlace() throws Exception {
        SchedulingQueue queue = queue();
        PodInfo a = TestPods.info("a", 0, "1");
        queue.add(a);
        queue.delete(a);
        assertThat(queue.pop(Duration.ZERO)).isNull();
        assertThat(queue.pending()).isEmpty();
    }
}
