package io.k4j.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDeletionOrderTest {

    private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

    private static Pod pod(String name, String node, String phase, Instant readySince) {
        var builder = new PodBuilder().withNewMetadata().withName(name).withUid(name)
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase(phase);
        if (readySince != null) {
            builder = builder.addNewCondition().withType("Ready").withStatus("True")
                    .withLastTransitionTime(readySince.toString()).endCondition();
        }
        return builder.endStatus().build();
    }

    private static List<String> order(List<Pod> pods, List<Pod> related) {
        return PodDeletionOrder.podsToDelete(pods, related, pods.size() - 1, NOW).stream()
                .map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void unscheduledThenPendingThenNotReadyThenRecentlyReadyGoFirst() {
        Pod unscheduled = pod("unscheduled", null, "Pending", null);
        Pod pending = pod("pending", "n1", "Pending", null);
        Pod notReady = pod("not-ready", "n1", "Running", null);
        Pod readyLately = pod("ready-lately", "n1", "Running", NOW.minusSeconds(10));
        Pod readyLong = pod("ready-long", "n1", "Running", NOW.minusSeconds(3000));
        assertThat(order(List.of(readyLong, readyLately, notReady, pending, unscheduled), List.of()))
                .containsExactly("unscheduled", "pending", "not-ready", "ready-lately");
    }

    @Test
    void podsDoubledUpWithTheirSiblingsGoFirst() {
        Instant ready = NOW.minusSeconds(100);
        Pod alone = pod("alone", "n1", "Running", ready);
        Pod crowded = pod("crowded", "n2", "Running", ready);
        Pod sibling = pod("sibling", "n2", "Running", ready);
        assertThat(PodDeletionOrder.podsToDelete(List.of(alone, crowded), List.of(alone, crowded, sibling), 1, NOW))
                .extracting(p -> p.getMetadata().getName()).containsExactly("crowded");
    }

    @Test
    void agesAreComparedInPowersOfTwo() {
        assertThat(PodDeletionOrder.logBucket(NOW.minusSeconds(1), NOW)).isEqualTo(29); // 1e9 ns
        assertThat(PodDeletionOrder.logBucket(NOW, NOW)).isEqualTo(-1);
    }
}
