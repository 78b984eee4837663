package io.k4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The annotations a Deployment and its ReplicaSets carry: revision numbers (what kubectl rollout history and undo
 * read), the revisions a ReplicaSet had before a rollback brought it back, the deployment size a ReplicaSet was sized
 * for (what proportional scaling reads), and the deployment's own annotations copied onto its new ReplicaSet.
 */
public final class Revisions {

    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    /** Upstream's limit on revision-history's length. */
    public static final int MAX_HISTORY_CHARS = 2000;
    static final Set<String> NOT_COPIED = Set.of("kubectl.kubernetes.io/last-applied-configuration", REVISION,
            REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to");

    private Revisions() {
    }

    /** The revision annotation as a number; 0 if missing or not a number. */
    public static long revision(HasMetadata object) {
        String value = annotation(object, REVISION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static long maxRevision(List<ReplicaSet> sets) {
        return sets.stream().mapToLong(Revisions::revision).max().orElse(0);
    }

    static Integer intAnnotation(HasMetadata object, String key) {
        String value = annotation(object, key);
        try {
            return value == null ? null : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /**
     * Brings a new ReplicaSet's annotations up to date (SetNewReplicaSetAnnotations): the deployment's own
     * annotations, the revision raised to {@code newRevision} (keeping the revisions it had, within
     * {@link #MAX_HISTORY_CHARS}, when a rollback brings it back), and for one about to be created the replicas
     * annotations. Returns whether anything changed.
     */
    public static boolean setNewReplicaSetAnnotations(Deployment d, Map<String, String> rsAnnotations,
            String newRevision, boolean exists) {
        boolean changed = copyDeploymentAnnotations(d, rsAnnotations);
        String oldRevision = rsAnnotations.get(REVISION);
        long oldNumber;
        try {
            oldNumber = oldRevision == null || oldRevision.isEmpty() ? 0 : Long.parseLong(oldRevision);
        } catch (NumberFormatException e) {
            return false;
        }
        long newNumber;
        try {
            newNumber = Long.parseLong(newRevision);
        } catch (NumberFormatException e) {
            return false;
        }
        if (oldNumber < newNumber) {
            rsAnnotations.put(REVISION, newRevision);
            changed = true;
            if (oldRevision != null) {
                appendHistory(rsAnnotations, oldRevision);
            }
        }
        int replicas = RolloutMath.replicas(d);
        if (!exists && setReplicasAnnotations(rsAnnotations, replicas, replicas + RolloutMath.maxSurge(d))) {
            changed = true;
        }
        return changed;
    }

    private static void appendHistory(Map<String, String> annotations, String oldRevision) {
        String history = annotations.getOrDefault(REVISION_HISTORY, "");
        if (history.isEmpty()) {
            annotations.put(REVISION_HISTORY, oldRevision);
            return;
        }
        List<String> revisions = new ArrayList<>(Arrays.asList(history.split(",", -1)));
        int total = history.length() + oldRevision.length() + 1;
        int start = 0;
        while (total > MAX_HISTORY_CHARS && start < revisions.size()) {
            total -= revisions.get(start).length() + 1;
            start++;
        }
        if (total <= MAX_HISTORY_CHARS) {
            List<String> kept = new ArrayList<>(revisions.subList(start, revisions.size()));
            kept.add(oldRevision);
            annotations.put(REVISION_HISTORY, String.join(",", kept));
        }
    }

    private static boolean copyDeploymentAnnotations(Deployment d, Map<String, String> rsAnnotations) {
        Map<String, String> own = d.getMetadata().getAnnotations();
        if (own == null) {
            return false;
        }
        boolean changed = false;
        for (Map.Entry<String, String> entry : own.entrySet()) {
            if (NOT_COPIED.contains(entry.getKey()) || entry.getValue().equals(rsAnnotations.get(entry.getKey()))) {
                continue;
            }
            rsAnnotations.put(entry.getKey(), entry.getValue());
            changed = true;
        }
        return changed;
    }

    /** Sets desired-replicas and max-replicas; returns whether either changed. */
    public static boolean setReplicasAnnotations(Map<String, String> annotations, int desired, int max) {
        boolean changed = !String.valueOf(desired).equals(annotations.get(DESIRED_REPLICAS))
                || !String.valueOf(max).equals(annotations.get(MAX_REPLICAS));
        annotations.put(DESIRED_REPLICAS, String.valueOf(desired));
        annotations.put(MAX_REPLICAS, String.valueOf(max));
        return changed;
    }

    public static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
        return !String.valueOf(desired).equals(annotation(rs, DESIRED_REPLICAS))
                || !String.valueOf(max).equals(annotation(rs, MAX_REPLICAS));
    }
}
