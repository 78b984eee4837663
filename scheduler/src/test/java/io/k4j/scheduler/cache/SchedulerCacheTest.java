package io.k4j.scheduler.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.testing.TestPods;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {

    private final SchedulerCache cache = new SchedulerCache();
    private final Snapshot snapshot = new Snapshot();

    private static PodInfo bound(String name, String node, String cpu) {
        Pod pod = new PodBuilder(TestPods.pod(name, 0, cpu)).editSpec().withNodeName(node).endSpec().build();
        return new PodInfo(pod);
    }

    @Test
    void anAssumedPodCountsOnItsNodeUntilForgotten() {
        cache.addNode(TestPods.node("n1", "4", "8Gi", 110));
        PodInfo pod = TestPods.info("p", 0, "1");
        cache.assumePod(pod, "n1");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n1").requested().milliCpu).isEqualTo(1000);
        assertThat(cache.isAssumed(pod)).isTrue();

        cache.forgetPod(pod);
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n1").requested().milliCpu).isZero();
        assertThat(cache.isAssumed(pod)).isFalse();
    }

    @Test
    void theInformerConfirmsAnAssumedPodWithoutCountingItTwice() {
        cache.addNode(TestPods.node("n1", "4", "8Gi", 110));
        cache.assumePod(TestPods.info("p", 0, "1"), "n1");
        cache.finishBinding(TestPods.info("p", 0, "1"));
        cache.addPod(bound("p", "n1", "1"));
        cache.forgetPod(TestPods.info("p", 0, "1")); // too late: the API has it bound
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n1").pods()).hasSize(1);
        assertThat(snapshot.get("n1").requested().milliCpu).isEqualTo(1000);
    }

    @Test
    void aSnapshotCopiesOnlyChangedNodesAndNeverSharesThemWithTheCache() {
        cache.addNode(TestPods.node("n1", "4", "8Gi", 110));
        cache.addNode(TestPods.node("n2", "4", "8Gi", 110));
        cache.updateSnapshot(snapshot);
        NodeInfo n2Before = snapshot.get("n2");
        cache.addPod(bound("p", "n1", "1"));
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n2")).as("unchanged nodes are not copied again").isSameAs(n2Before);
        NodeInfo n1 = snapshot.get("n1");
        cache.addPod(bound("q", "n1", "1"));
        assertThat(n1.pods()).as("the snapshot a cycle holds does not move under it").hasSize(1);
    }

    @Test
    void podsOfANodeNotYetSeenWaitForIt() {
        cache.addPod(bound("p", "later", "1"));
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.size()).isZero();
        cache.addNode(TestPods.node("later", "4", "8Gi", 110));
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("later").pods()).hasSize(1);
        cache.removeNode("later");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("later")).isNull();
        assertThat(cache.podCount()).isEqualTo(1);
    }

    private static PodInfo antiAffine(String name, String node) {
        Pod pod = new PodBuilder(TestPods.pod(name, 0, "100m")).editSpec().withNodeName(node).withNewAffinity()
                .withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().addToMatchLabels("a", "b")
                .endLabelSelector().endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity()
                .endAffinity().endSpec().build();
        return new PodInfo(pod);
    }

    @Test
    void theNodesWithAffinityPodsFollowEveryChange() {
        for (int i = 0; i < 3; i++) {
            cache.addNode(TestPods.node("n" + i, "4", "8Gi", 110));
        }
        PodInfo first = antiAffine("first", "n0");
        PodInfo second = antiAffine("second", "n2");
        cache.addPod(first);
        cache.addPod(second);
        cache.addPod(bound("plain", "n1", "1"));
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.havePodsWithRequiredAntiAffinity()).extracting(NodeInfo::name).containsExactlyInAnyOrder("n0", "n2");
        assertThat(snapshot.havePodsWithAffinity()).extracting(NodeInfo::name).containsExactlyInAnyOrder("n0", "n2");

        cache.removePod(first);
        cache.addPod(antiAffine("third", "n2"));
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.havePodsWithRequiredAntiAffinity()).extracting(NodeInfo::name).containsExactly("n2");
        assertThat(snapshot.havePodsWithRequiredAntiAffinity().getFirst()).as("the fresh copy, not the old one")
                .isSameAs(snapshot.get("n2"));
        assertThat(snapshot.get("n2").podsWithRequiredAntiAffinity()).hasSize(2);

        cache.removeNode("n2");
        cache.removePod(second);
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.havePodsWithAffinity()).isEmpty();
    }

    @Test
    void removingANodeFromTheMiddleKeepsTheOthersFindable() {
        for (int i = 0; i < 5; i++) {
            cache.addNode(TestPods.node("n" + i, "4", "8Gi", 110));
        }
        cache.updateSnapshot(snapshot);
        cache.removeNode("n1");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.size()).isEqualTo(4);
        for (String name : new String[] {"n0", "n2", "n3", "n4"}) {
            assertThat(snapshot.get(name).name()).isEqualTo(name);
        }
    }
}
