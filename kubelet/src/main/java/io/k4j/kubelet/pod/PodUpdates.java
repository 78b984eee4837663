package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Objects;

/**
 * Which pod updates from the API give the pod's worker something to do. A change of status alone does not: the
 * kubelet is the source of a bound pod's status, and nearly every such update is the echo of its own status patch.
 * Upstream's kubelet skips them too (its pod config reconciles the status instead of syncing the pod), except where
 * a readiness gate makes the pod's Ready condition depend on conditions someone else writes. Everything else (spec,
 * labels, annotations, deletion, owners, finalizers) is synced. Changes in the runtime reach the worker through the
 * relist (and a container that exits during a sync through that sync's requeue), and every pod is synced again at
 * the periodic resync.
 */
public final class PodUpdates {

    private PodUpdates() {
    }

    /** Whether {@code updated} gives its worker something to do that {@code old} did not. */
    public static boolean needsSync(Pod old, Pod updated) {
        if (!Objects.equals(old.getSpec(), updated.getSpec())
                || !Objects.equals(comparable(old.getMetadata()), comparable(updated.getMetadata()))) {
            return true;
        }
        boolean readinessGates = updated.getSpec() != null && updated.getSpec().getReadinessGates() != null
                && !updated.getSpec().getReadinessGates().isEmpty();
        return readinessGates && !Objects.equals(old.getStatus(), updated.getStatus());
    }

    /** The metadata without what every write changes (resourceVersion, managedFields). */
    private static ObjectMeta comparable(ObjectMeta metadata) {
        if (metadata == null) {
            return null;
        }
        return new ObjectMetaBuilder(metadata).withResourceVersion(null).withManagedFields(List.of()).build();
    }
}
