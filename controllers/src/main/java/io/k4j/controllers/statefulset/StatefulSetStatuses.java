package io.k4j.controllers.statefulset;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.k4j.controllers.statefulset.StatefulSetPlan.Counts;
import io.k4j.controllers.statefulset.StatefulSetPlan.Settings;
import java.util.Objects;

/** The status a pass reports, with upstream's rule for when a rolling update is complete. */
final class StatefulSetStatuses {

    private StatefulSetStatuses() {
    }

    static StatefulSetStatus next(StatefulSet set, Settings settings, Counts counts, String currentRevision,
            String updateRevision, Integer collisionCount) {
        String current = currentRevision;
        int currentReplicas = counts.current();
        // a rolling update is done once every pod is updated and ready: the update revision becomes current
        if (settings.rollingUpdate() && counts.updated() == counts.replicas() && counts.ready() == counts.replicas()) {
            current = updateRevision;
            currentReplicas = counts.updated();
        }
        var old = set.getStatus();
        return new StatefulSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(counts.replicas())
                .withReadyReplicas(counts.ready())
                .withAvailableReplicas(counts.available())
                .withCurrentReplicas(currentReplicas)
                .withUpdatedReplicas(counts.updated())
                .withCurrentRevision(current)
                .withUpdateRevision(updateRevision)
                .withCollisionCount(Objects.requireNonNullElse(collisionCount, 0))
                .withConditions(old == null ? null : old.getConditions())
                .build();
    }

    static boolean same(StatefulSetStatus a, StatefulSetStatus b) {
        return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getReplicas(), b.getReplicas())
                && Objects.equals(a.getReadyReplicas(), b.getReadyReplicas())
                && Objects.equals(a.getAvailableReplicas(), b.getAvailableReplicas())
                && Objects.equals(a.getCurrentReplicas(), b.getCurrentReplicas())
                && Objects.equals(a.getUpdatedReplicas(), b.getUpdatedReplicas())
                && Objects.equals(a.getCurrentRevision(), b.getCurrentRevision())
                && Objects.equals(a.getUpdateRevision(), b.getUpdateRevision())
                && Objects.equals(a.getCollisionCount(), b.getCollisionCount());
    }
}
