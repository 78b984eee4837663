package io.k4j.controllers.statefulset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.history.Revisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One pass of upstream's StatefulSet control, as pure logic: which pods to create, recreate or delete next, given the
 * set's pods and revisions. OrderedReady ("monotonic") stops at the first step it must wait for; Parallel does every
 * create and delete it can, and both replace pods for a rolling update one at a time, highest ordinal first, down to
 * the partition.
 */
public final class StatefulSetPlan {

    private StatefulSetPlan() {
    }

    /** What the spec asks, with upstream's defaults for unset fields. */
    public record Settings(int replicas, int startOrdinal, boolean parallel, boolean rollingUpdate, int partition,
            int minReadySeconds) {

        public static Settings of(StatefulSet set) {
            var spec = set.getSpec();
            var strategy = spec.getUpdateStrategy();
            boolean rolling = strategy == null || strategy.getType() == null || "RollingUpdate".equals(strategy.getType());
            int partition = rolling && strategy != null && strategy.getRollingUpdate() != null
                    && strategy.getRollingUpdate().getPartition() != null ? strategy.getRollingUpdate().getPartition() : 0;
            int start = spec.getOrdinals() != null && spec.getOrdinals().getStart() != null ? spec.getOrdinals().getStart() : 0;
            return new Settings(spec.getReplicas() == null ? 1 : spec.getReplicas(), start,
                    "Parallel".equals(spec.getPodManagementPolicy()), rolling, partition,
                    spec.getMinReadySeconds() == null ? 0 : spec.getMinReadySeconds());
        }

        boolean monotonic() {
            return !parallel;
        }
    }

    /** A step of the plan. */
    public sealed interface Action {
    }

    /** Create the pod (and its claims) of this ordinal, from the current revision or the update revision. */
    public record Create(int ordinal, boolean fromCurrentRevision) implements Action {
    }

    public enum Why { FAILED, CONDEMNED, OUTDATED }

    /** Delete this pod: it failed (to be recreated), is beyond the replicas, or is of an old revision. */
    public record Delete(Pod pod, Why why) implements Action {
    }

    /** Restore the pod's identity labels (pod-name, pod-index). */
    public record Relabel(Pod pod) implements Action {
    }

    public record Counts(int replicas, int ready, int available, int current, int updated) {
    }

    public record Plan(List<Action> actions, Counts counts) {
    }

    public static Plan plan(Settings settings, List<Pod> pods, String setName, String currentRevision,
            String updateRevision, Instant now) {
        return new Planner(settings, setName, currentRevision, updateRevision, now).plan(pods);
    }

    /** The counts of the status: every pod counts towards replicas, only live ones towards their revision. */
    static Counts count(List<Pod> pods, int minReadySeconds, String currentRevision, String updateRevision, Instant now) {
        int ready = 0;
        int available = 0;
        int current = 0;
        int updated = 0;
        for (Pod pod : pods) {
            if (isRunningAndReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReadySeconds, now)) {
                    available++;
                }
            }
            if (!isTerminating(pod)) {
                String revision = revisionOf(pod);
                current += Objects.equals(revision, currentRevision) ? 1 : 0;
                updated += Objects.equals(revision, updateRevision) ? 1 : 0;
            }
        }
        return new Counts(pods.size(), ready, available, current, updated);
    }

    static boolean isRunningAndReady(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()) && Pods.isReady(pod);
    }

    static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static String revisionOf(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Revisions.HASH_LABEL);
    }

    private static final class Planner {
        private final Settings settings;
        private final String setName;
        private final String currentRevision;
        private final String updateRevision;
        private final Instant now;
        private final List<Action> actions = new ArrayList<>();

        Planner(Settings settings, String setName, String currentRevision, String updateRevision, Instant now) {
            this.settings = settings;
            this.setName = setName;
            this.currentRevision = currentRevision;
            this.updateRevision = updateRevision;
            this.now = now;
        }

        Plan plan(List<Pod> pods) {
            Pod[] replicas = new Pod[settings.replicas()];
            List<Pod> condemned = new ArrayList<>();
            for (Pod pod : pods) {
                int ordinal = StatefulSetPods.ordinalOf(setName, pod);
                int index = ordinal - settings.startOrdinal();
                if (ordinal >= 0 && index >= 0 && index < replicas.length) {
                    replicas[index] = pod;
                } else if (ordinal >= 0) {
                    condemned.add(pod);
                }
            }
            condemned.sort(Comparator.comparingInt((Pod p) -> StatefulSetPods.ordinalOf(setName, p)).reversed());
            Counts counts = count(pods, settings.minReadySeconds(), currentRevision, updateRevision, now);
            boolean finished = keepReplicas(replicas) && removeCondemned(condemned);
            if (finished && settings.rollingUpdate()) {
                rollOut(replicas);
            }
            return new Plan(List.copyOf(actions), counts);
        }

        /** Creates, recreates and waits for the replicas in ordinal order; false when the pass must stop here. */
        private boolean keepReplicas(Pod[] replicas) {
            for (int index = 0; index < replicas.length; index++) {
                Pod pod = replicas[index];
                int ordinal = settings.startOrdinal() + index;
                if (pod == null) {
                    actions.add(new Create(ordinal, settings.rollingUpdate() && ordinal < settings.partition()));
                    if (settings.monotonic()) {
                        return false;
                    }
                    continue;
                }
                if (Pods.isTerminal(pod) && !isTerminating(pod)) {
                    actions.add(new Delete(pod, Why.FAILED));
                    if (settings.monotonic()) {
                        return false;
                    }
                    continue;
                }
                if (settings.monotonic() && (isTerminating(pod) || !isRunningAndReady(pod)
                        || !Pods.isAvailable(pod, settings.minReadySeconds(), now))) {
                    return false;
                }
                if (!isTerminating(pod) && !StatefulSetPods.identityMatches(setName, ordinal, pod)) {
                    actions.add(new Relabel(pod));
                }
            }
            return true;
        }

        /** Deletes pods beyond the replicas, highest ordinal first; false when the pass must stop here. */
        private boolean removeCondemned(List<Pod> condemned) {
            Pod firstUnhealthy = condemned.stream().filter(p -> !isHealthy(p)).findFirst().orElse(null);
            for (Pod pod : condemned) {
                if (isTerminating(pod)) {
                    if (settings.monotonic()) {
                        return false;
                    }
                    continue;
                }
                if (settings.monotonic() && !isRunningAndReady(pod) && pod != firstUnhealthy) {
                    return false;
                }
                actions.add(new Delete(pod, Why.CONDEMNED));
                if (settings.monotonic()) {
                    return false;
                }
            }
            return true;
        }

        /** Replaces one outdated pod at a time from the highest ordinal down to the partition, once all are healthy. */
        private void rollOut(Pod[] replicas) {
            for (int index = replicas.length - 1; index >= settings.partition(); index--) {
                Pod pod = replicas[index];
                if (pod == null || actions.stream().anyMatch(a -> a instanceof Delete d && d.pod() == pod)) {
                    return; // being created or recreated in this pass
                }
                if (!Objects.equals(revisionOf(pod), updateRevision) && !isTerminating(pod)) {
                    actions.add(new Delete(pod, Why.OUTDATED));
                    return;
                }
                if (!isHealthy(pod)) {
                    return;
                }
            }
        }

        private boolean isHealthy(Pod pod) {
            return isRunningAndReady(pod) && !isTerminating(pod) && Pods.isAvailable(pod, settings.minReadySeconds(), now);
        }
    }
}
