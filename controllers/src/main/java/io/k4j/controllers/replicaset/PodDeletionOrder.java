package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.k4j.controllers.api.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods a scale-down deletes first, in upstream's order (ActivePodsWithRanks with LogarithmicScaleDown and
 * PodDeletionCost on): unscheduled before scheduled, Pending before Unknown before Running, not ready before ready,
 * lower controller.kubernetes.io/pod-deletion-cost first, pods doubled up on a node with their siblings first, ready
 * for less time first (in powers of two of seconds, ties by uid), more restarts first, newer first (likewise).
 */
public final class PodDeletionOrder {

    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    private PodDeletionOrder() {
    }

    record Ranked(Pod pod, int rank) {
    }

    /**
     * The {@code count} pods to delete among {@code pods}; {@code related} are the active pods of every ReplicaSet of
     * the same owner (siblings), whose count on a pod's node is its rank.
     */
    public static List<Pod> podsToDelete(List<Pod> pods, List<Pod> related, int count, Instant now) {
        if (count >= pods.size()) {
            return List.copyOf(pods);
        }
        Map<String, Integer> onNode = new HashMap<>();
        for (Pod pod : related) {
            String node = nodeName(pod);
            if (!node.isEmpty() && Pods.isActive(pod)) {
                onNode.merge(node, 1, Integer::sum);
            }
        }
        List<Ranked> ranked = new ArrayList<>();
        for (Pod pod : pods) {
            ranked.add(new Ranked(pod, onNode.getOrDefault(nodeName(pod), 0)));
        }
        ranked.sort(order(now));
        return ranked.subList(0, count).stream().map(Ranked::pod).toList();
    }

    static Comparator<Ranked> order(Instant now) {
        return (a, b) -> compare(a, b, now);
    }

    private static int compare(Ranked a, Ranked b, Instant now) {
        Pod p = a.pod;
        Pod q = b.pod;
        boolean pAssigned = !nodeName(p).isEmpty();
        boolean qAssigned = !nodeName(q).isEmpty();
        if (!nodeName(p).equals(nodeName(q)) && pAssigned != qAssigned) {
            return pAssigned ? 1 : -1;
        }
        int phase = Integer.compare(phaseOrdinal(p), phaseOrdinal(q));
        if (phase != 0) {
            return phase;
        }
        boolean pReady = Pods.isReady(p);
        boolean qReady = Pods.isReady(q);
        if (pReady != qReady) {
            return pReady ? 1 : -1;
        }
        int cost = Integer.compare(deletionCost(p), deletionCost(q));
        if (cost != 0) {
            return cost;
        }
        if (a.rank != b.rank) {
            return a.rank > b.rank ? -1 : 1;
        }
        if (pReady && qReady) {
            int ready = newerFirst(readySince(p), readySince(q), p, q, now);
            if (ready != 0) {
                return ready;
            }
        }
        int restarts = Integer.compare(maxRestarts(q), maxRestarts(p));
        if (restarts != 0) {
            return restarts;
        }
        return newerFirst(created(p), created(q), p, q, now);
    }

    /**
     * Missing times first, then the more recent, compared in log2 buckets of their age so that pods of similar age
     * are told apart randomly (by uid) rather than always deleting the very newest.
     */
    private static int newerFirst(Instant t1, Instant t2, Pod p, Pod q, Instant now) {
        if (t1 == null ? t2 == null : t1.equals(t2)) {
            return 0;
        }
        if (t1 == null || t2 == null || now == null) {
            return afterOrZero(t1, t2) ? -1 : 1;
        }
        int diff = logBucket(t1, now) - logBucket(t2, now);
        if (diff == 0) {
            return String.valueOf(p.getMetadata().getUid()).compareTo(String.valueOf(q.getMetadata().getUid()));
        }
        return diff;
    }

    private static boolean afterOrZero(Instant t1, Instant t2) {
        if (t1 == null || t2 == null) {
            return t1 == null;
        }
        return t1.isAfter(t2);
    }

    /** floor(log2(age in nanoseconds)), or -1 for a time not in the past, as upstream's logarithmicRankDiff. */
    static int logBucket(Instant time, Instant now) {
        long nanos = Duration.between(time, now).toNanos();
        if (nanos <= 0) {
            return -1;
        }
        return 63 - Long.numberOfLeadingZeros(nanos);
    }

    private static int phaseOrdinal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return switch (phase == null ? "" : phase) {
            case "Pending" -> 0;
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 0;
        };
    }

    private static int deletionCost(Pod pod) {
        var annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(DELETION_COST);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int maxRestarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().map(ContainerStatus::getRestartCount)
                .filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).max().orElse(0);
    }

    private static Instant readySince(Pod pod) {
        PodCondition ready = Pods.condition(pod, "Ready");
        return ready == null || ready.getLastTransitionTime() == null ? null
                : Instant.parse(ready.getLastTransitionTime());
    }

    private static Instant created(Pod pod) {
        String created = pod.getMetadata().getCreationTimestamp();
        return created == null ? null : Instant.parse(created);
    }

    private static String nodeName(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
    }
}
