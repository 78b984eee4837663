package io.k4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.replicaset.ControllerRefClaims;
import io.k4j.controllers.api.LabelSelectors;
import io.k4j.controllers.replicaset.ReplicaController;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One sync of one Deployment (upstream's syncDeployment and what it calls), on a working copy of the Deployment
 * whose status and revision annotation are written back as they change.
 */
final class DeploymentSync {

    private final Context context;
    private final KubernetesClient client;
    private final String namespace;
    private final Instant now;
    /** The Deployment as last read or written. */
    private Deployment stored;
    /** The working copy: status and annotations changed here, then saved. */
    private Deployment d;
    private Result result = Result.done();
    private Sets synced;

    /** A Deployment's ReplicaSets split into the one running its current template (null if none yet) and the rest. */
    private record Sets(ReplicaSet newRS, List<ReplicaSet> old) {
        List<ReplicaSet> all() {
            List<ReplicaSet> all = new ArrayList<>(old);
            if (newRS != null) {
                all.add(newRS);
            }
            return all;
        }
    }

    DeploymentSync(Deployment deployment, Context context) {
        this.context = context;
        this.client = context.client();
        this.namespace = deployment.getMetadata().getNamespace();
        this.now = context.clock().instant();
        this.stored = deployment;
        this.d = new DeploymentBuilder(deployment).build();
    }

    Result run() {
        if (LabelSelectors.isEmpty(d.getSpec().getSelector())) {
            context.events().warning(d, "SelectingAll",
                    "This deployment is selecting all pods. A non-empty selector is required.");
            DeploymentStatus status = DeploymentStatuses.statusOf(d);
            long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
            if (observed < generation()) {
                status.setObservedGeneration(generation());
                d.setStatus(status);
                save();
            }
            return Result.done();
        }
        List<ReplicaSet> rsList = claimReplicaSets();
        if (d.getMetadata().getDeletionTimestamp() != null) {
            Sets sets = sets(rsList, false);
            syncStatus(sets);
            return result;
        }
        checkPausedConditions();
        if (Boolean.TRUE.equals(d.getSpec().getPaused()) || isScalingEvent(rsList)) {
            resize(rsList);
        } else if (RolloutMath.isRollingUpdate(d)) {
            rolloutRolling(rsList);
        } else {
            rolloutRecreate(rsList);
        }
        return result;
    }

    private long generation() {
        return d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
    }

    private List<ReplicaSet> claimReplicaSets() {
        LabelSelector selector = d.getSpec().getSelector();
        return new ControllerRefClaims<>(client, ReplicaSet.class, stored,
                rs -> LabelSelectors.matches(selector, rs.getMetadata().getLabels()))
                .claim(context.cache(ReplicaSet.class).list(namespace));
    }

    // ---- new and old ReplicaSets, revisions

    /**
     * The new and old ReplicaSets, the new one's annotations synced (and created if asked and missing). Kept for
     * the rest of the sync: a second look would see the cache from before those writes.
     */
    private Sets sets(List<ReplicaSet> rsList, boolean createIfMissing) {
        if (synced != null && (synced.newRS() != null || !createIfMissing)) {
            return synced;
        }
        ReplicaSet existing = findNew(rsList);
        List<ReplicaSet> old = rsList.stream().filter(rs -> rs != existing).toList();
        synced = new Sets(newReplicaSet(existing, old, createIfMissing), old);
        return synced;
    }

    /** The oldest ReplicaSet whose template is the Deployment's (FindNewReplicaSet). */
    private ReplicaSet findNew(List<ReplicaSet> rsList) {
        return rsList.stream().sorted(ReplicaSets.OLDEST_FIRST)
                .filter(rs -> TemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst().orElse(null);
    }

    private ReplicaSet newReplicaSet(ReplicaSet existing, List<ReplicaSet> old, boolean createIfMissing) {
        String newRevision = String.valueOf(Revisions.maxRevision(old) + 1);
        if (existing != null) {
            return updateExisting(existing, newRevision);
        }
        return createIfMissing ? create(old, newRevision) : null;
    }

    private ReplicaSet updateExisting(ReplicaSet existing, String newRevision) {
        Map<String, String> annotations = new LinkedHashMap<>(orEmpty(existing.getMetadata().getAnnotations()));
        boolean annotationsChanged = Revisions.setNewReplicaSetAnnotations(d, annotations, newRevision, true);
        int minReady = orZero(d.getSpec().getMinReadySeconds());
        if (annotationsChanged || orZero(existing.getSpec().getMinReadySeconds()) != minReady) {
            ReplicaSet copy = new ReplicaSetBuilder(existing).editMetadata().withAnnotations(annotations).endMetadata()
                    .editSpec().withMinReadySeconds(minReady).endSpec().build();
            return client.apps().replicaSets().inNamespace(namespace).resource(copy).update();
        }
        boolean needsUpdate = setRevision(orEmpty(existing.getMetadata().getAnnotations())
                .get(Revisions.REVISION));
        if (DeploymentStatuses.hasProgressDeadline(d)
                && DeploymentStatuses.get(d.getStatus(), DeploymentStatuses.PROGRESSING) == null) {
            setCondition(DeploymentStatuses.condition(DeploymentStatuses.PROGRESSING, "True",
                    DeploymentStatuses.FOUND_NEW_RS, "Found new replica set \"" + existing.getMetadata().getName()
                            + "\"", now));
            needsUpdate = true;
        }
        if (needsUpdate) {
            save();
        }
        return existing;
    }

    private ReplicaSet create(List<ReplicaSet> old, String newRevision) {
        Integer collisionCount = DeploymentStatuses.statusOf(d).getCollisionCount();
        String hash = TemplateHash.compute(d.getSpec().getTemplate(), collisionCount);
        Map<String, String> labels = new LinkedHashMap<>(orEmpty(templateLabels()));
        labels.put(TemplateHash.LABEL, hash);
        PodTemplateSpec template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).editOrNewMetadata()
                .withLabels(labels).endMetadata().build();
        LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector())
                .addToMatchLabels(TemplateHash.LABEL, hash).build();
        String name = d.getMetadata().getName() + "-" + hash;
        ReplicaSet fresh = new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withOwnerReferences(OwnerRefs.controllerRef(d)).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(0).withMinReadySeconds(d.getSpec().getMinReadySeconds())
                .withSelector(selector).withTemplate(template).endSpec().build();
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(fresh);
        int replicas = RolloutMath.newReplicaSetReplicas(d, all, fresh);
        fresh.getSpec().setReplicas(replicas);
        Map<String, String> annotations = new LinkedHashMap<>();
        Revisions.setNewReplicaSetAnnotations(d, annotations, newRevision, false);
        fresh.getMetadata().setAnnotations(annotations);

        ReplicaSet created;
        boolean alreadyExists = false;
        try {
            created = client.apps().replicaSets().inNamespace(namespace).resource(fresh).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                created = existingWithSameTemplate(name);
                if (created == null) {
                    // A hash collision: another template has this name. Try the next name on the next sync.
                    DeploymentStatus status = DeploymentStatuses.statusOf(d);
                    status.setCollisionCount(collisionCount == null ? 1 : collisionCount + 1);
                    d.setStatus(status);
                    save();
                    throw e;
                }
                alreadyExists = true;
            } else {
                String message = "Failed to create new replica set \"" + name + "\": " + ReplicaController.message(e);
                if (DeploymentStatuses.hasProgressDeadline(d)) {
                    setCondition(DeploymentStatuses.condition(DeploymentStatuses.PROGRESSING, "False",
                            DeploymentStatuses.FAILED_RS_CREATE, message, now));
                    trySave();
                }
                context.events().warning(d, DeploymentStatuses.FAILED_RS_CREATE, message);
                throw e;
            }
        }
        if (!alreadyExists && replicas > 0) {
            context.events().normal(d, "ScalingReplicaSet", "Scaled up replica set " + name + " from 0 to "
                    + replicas);
        }
        boolean needsUpdate = setRevision(newRevision);
        if (!alreadyExists && DeploymentStatuses.hasProgressDeadline(d)) {
            setCondition(DeploymentStatuses.condition(DeploymentStatuses.PROGRESSING, "True",
                    DeploymentStatuses.NEW_RS_CREATED, "Created new replica set \"" + name + "\"", now));
            needsUpdate = true;
        }
        if (needsUpdate) {
            save();
        }
        return created;
    }

    /** The ReplicaSet of that name if it is ours and runs our template (the cache had not seen it yet), else null. */
    private ReplicaSet existingWithSameTemplate(String name) {
        ReplicaSet rs = client.apps().replicaSets().inNamespace(namespace).withName(name).get();
        if (rs != null && OwnerRefs.isControlledBy(rs, d)
                && TemplateHash.equalIgnoringHash(d.getSpec().getTemplate(), rs.getSpec().getTemplate())) {
            return rs;
        }
        return null;
    }

    private Map<String, String> templateLabels() {
        var meta = d.getSpec().getTemplate().getMetadata();
        return meta == null ? null : meta.getLabels();
    }

    private boolean setRevision(String revision) {
        if (revision == null) {
            return false;
        }
        Map<String, String> annotations = new LinkedHashMap<>(orEmpty(d.getMetadata().getAnnotations()));
        if (revision.equals(annotations.get(Revisions.REVISION))) {
            return false;
        }
        annotations.put(Revisions.REVISION, revision);
        d.getMetadata().setAnnotations(annotations);
        return true;
    }

    // ---- pause, resize

    /** Progressing Unknown with DeploymentPaused / DeploymentResumed as the Deployment is paused or resumed. */
    private void checkPausedConditions() {
        if (!DeploymentStatuses.hasProgressDeadline(d)) {
            return;
        }
        DeploymentCondition progressing = DeploymentStatuses.get(d.getStatus(), DeploymentStatuses.PROGRESSING);
        if (progressing != null && DeploymentStatuses.TIMED_OUT.equals(progressing.getReason())) {
            return; // a reported lack of progress is not overwritten
        }
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        boolean pausedCondition = progressing != null && DeploymentStatuses.PAUSED.equals(progressing.getReason());
        if (paused && !pausedCondition) {
            setCondition(DeploymentStatuses.condition(DeploymentStatuses.PROGRESSING, "Unknown",
                    DeploymentStatuses.PAUSED, "Deployment is paused", now));
        } else if (!paused && pausedCondition) {
            setCondition(DeploymentStatuses.condition(DeploymentStatuses.PROGRESSING, "Unknown",
                    DeploymentStatuses.RESUMED, "Deployment is resumed", now));
        } else {
            return;
        }
        save();
    }

    /** Whether an active ReplicaSet was sized for another spec.replicas: the Deployment was resized. */
    private boolean isScalingEvent(List<ReplicaSet> rsList) {
        Sets sets = sets(rsList, false);
        int replicas = RolloutMath.replicas(d);
        return ReplicaSets.active(sets.all()).stream()
                .map(rs -> Revisions.intAnnotation(rs, Revisions.DESIRED_REPLICAS))
                .anyMatch(desired -> desired != null && desired != replicas);
    }

    /** A resize, or a paused Deployment: sizes follow spec.replicas, no rollout step (upstream's sync). */
    private void resize(List<ReplicaSet> rsList) {
        Sets sets = sets(rsList, false);
        for (RolloutMath.Scale scale : RolloutMath.proportionalScale(d, sets.newRS(), sets.old())) {
            scaleReplicaSet(scale.replicaSet(), scale.replicas());
        }
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            cleanup(sets.old());
        }
        syncStatus(sets);
    }

    // ---- rollouts

    private void rolloutRolling(List<ReplicaSet> rsList) {
        Sets sets = sets(rsList, true);
        List<ReplicaSet> all = sets.all();
        if (reconcileNewReplicaSet(all, sets.newRS()) || reconcileOldReplicaSets(all, sets)) {
            syncRolloutStatus(sets);
            return;
        }
        if (DeploymentStatuses.complete(d, DeploymentStatuses.statusOf(d))) {
            cleanup(sets.old());
        }
        syncRolloutStatus(sets);
    }

    private boolean reconcileNewReplicaSet(List<ReplicaSet> all, ReplicaSet newRS) {
        int replicas = RolloutMath.replicas(d);
        int current = ReplicaSets.replicas(newRS);
        if (current == replicas) {
            return false;
        }
        int target = current > replicas ? replicas : RolloutMath.newReplicaSetReplicas(d, all, newRS);
        return scaleAndRecord(newRS, target) != null;
    }

    private boolean reconcileOldReplicaSets(List<ReplicaSet> all, Sets sets) {
        List<ReplicaSet> old = new ArrayList<>(ReplicaSets.active(sets.old()));
        if (ReplicaSets.totalReplicas(old) == 0) {
            return false;
        }
        int maxScaledDown = RolloutMath.maxScaledDown(d, all, sets.newRS());
        if (maxScaledDown <= 0) {
            return false;
        }
        int scaledDown = apply(old, RolloutMath.cleanupUnhealthy(old, maxScaledDown));
        List<ReplicaSet> afterCleanup = new ArrayList<>(old);
        afterCleanup.add(sets.newRS());
        scaledDown += apply(old, RolloutMath.scaleDownOld(d, afterCleanup, old));
        return scaledDown > 0;
    }

    /** Carries out scale-downs, replacing each ReplicaSet in {@code sets} by its update; returns pods removed. */
    private int apply(List<ReplicaSet> sets, List<RolloutMath.Scale> plan) {
        int removed = 0;
        for (RolloutMath.Scale scale : plan) {
            ReplicaSet before = scale.replicaSet();
            ReplicaSet after = scaleAndRecord(before, scale.replicas());
            removed += ReplicaSets.replicas(before) - scale.replicas();
            if (after != null) {
                sets.set(sets.indexOf(before), after);
            }
        }
        return removed;
    }

    private void rolloutRecreate(List<ReplicaSet> rsList) {
        Sets sets = sets(rsList, false);
        boolean scaledDown = false;
        for (ReplicaSet rs : ReplicaSets.active(sets.old())) {
            scaledDown |= scaleAndRecord(rs, 0) != null;
        }
        if (scaledDown || oldPodsRunning(sets)) {
            syncRolloutStatus(sets);
            return;
        }
        if (sets.newRS() == null) {
            sets = sets(rsList, true);
        }
        scaleAndRecord(sets.newRS(), RolloutMath.replicas(d));
        if (DeploymentStatuses.complete(d, DeploymentStatuses.statusOf(d))) {
            cleanup(sets.old());
        }
        syncRolloutStatus(sets);
    }

    /** Whether any pod of an old ReplicaSet still runs (or may: phase Unknown). */
    private boolean oldPodsRunning(Sets sets) {
        if (ReplicaSets.totalActual(sets.old()) > 0) {
            return true;
        }
        Set<String> oldUids = sets.old().stream().map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
        LabelSelector selector = d.getSpec().getSelector();
        for (Pod pod : context.cache(Pod.class).list(namespace)) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (LabelSelectors.matches(selector, pod.getMetadata().getLabels())
                    && OwnerRefs.controllerOf(pod).map(ref -> oldUids.contains(ref.getUid())).orElse(false)
                    && !"Failed".equals(phase) && !"Succeeded".equals(phase)) {
                return true;
            }
        }
        return false;
    }

    /** Deletes the oldest emptied ReplicaSets beyond revisionHistoryLimit. */
    private void cleanup(List<ReplicaSet> old) {
        Integer limit = d.getSpec().getRevisionHistoryLimit();
        if (limit == null || limit == Integer.MAX_VALUE) {
            return;
        }
        List<ReplicaSet> cleanable = new ArrayList<>(old.stream()
                .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
        int diff = cleanable.size() - limit;
        if (diff <= 0) {
            return;
        }
        cleanable.sort(Comparator.<ReplicaSet>comparingLong(Revisions::revision).thenComparing(ReplicaSets.OLDEST_FIRST));
        for (ReplicaSet rs : cleanable.subList(0, diff)) {
            long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0
                    : rs.getStatus().getObservedGeneration();
            long rsGeneration = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
            if (ReplicaSets.statusReplicas(rs) != 0 || ReplicaSets.replicas(rs) != 0 || rsGeneration > observed) {
                continue;
            }
            try {
                client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    // ---- scaling ReplicaSets

    /** Resizes a ReplicaSet unless it has that size; returns the updated ReplicaSet, or null if nothing changed. */
    private ReplicaSet scaleAndRecord(ReplicaSet rs, int replicas) {
        if (ReplicaSets.replicas(rs) == replicas) {
            return null;
        }
        return scaleReplicaSet(rs, replicas);
    }

    /**
     * Sets a ReplicaSet's size and the deployment size it is meant for (its replicas annotations); records
     * ScalingReplicaSet when the size changed. Returns the update, or null if nothing needed writing.
     */
    private ReplicaSet scaleReplicaSet(ReplicaSet rs, int replicas) {
        int oldScale = ReplicaSets.replicas(rs);
        int desired = RolloutMath.replicas(d);
        int max = desired + RolloutMath.maxSurge(d);
        boolean sizeChanges = oldScale != replicas;
        if (!sizeChanges && !Revisions.replicasAnnotationsNeedUpdate(rs, desired, max)) {
            return null;
        }
        Map<String, String> annotations = new LinkedHashMap<>(orEmpty(rs.getMetadata().getAnnotations()));
        Revisions.setReplicasAnnotations(annotations, desired, max);
        ReplicaSet copy = new ReplicaSetBuilder(rs).editMetadata().withAnnotations(annotations).endMetadata()
                .editSpec().withReplicas(replicas).endSpec().build();
        ReplicaSet updated = client.apps().replicaSets().inNamespace(namespace).resource(copy).update();
        if (sizeChanges) {
            context.events().normal(d, "ScalingReplicaSet", "Scaled " + (oldScale < replicas ? "up" : "down")
                    + " replica set " + rs.getMetadata().getName() + " from " + oldScale + " to " + replicas);
        }
        return updated;
    }

    // ---- status

    private void syncStatus(Sets sets) {
        DeploymentStatus status = DeploymentStatuses.calculate(sets.all(), sets.newRS(), d, now);
        if (!status.equals(d.getStatus())) {
            d.setStatus(status);
            save();
        }
    }

    private void syncRolloutStatus(Sets sets) {
        DeploymentStatus status = DeploymentStatuses.rollout(sets.all(), sets.newRS(), d, now);
        if (status.equals(d.getStatus())) {
            DeploymentStatuses.untilDeadline(d, status, now)
                    .ifPresent(after -> result = result.andThen(Result.requeueAfter(after)));
            return;
        }
        d.setStatus(status);
        save();
    }

    private void setCondition(DeploymentCondition condition) {
        DeploymentStatus status = DeploymentStatuses.statusOf(d);
        DeploymentStatuses.set(status, condition);
        d.setStatus(status);
    }

    /**
     * Writes the working copy's annotations (the revision; k4j's status subresource keeps metadata as it was, so
     * they go to the main resource first) and then its status.
     */
    private void save() {
        Map<String, String> annotations = orEmpty(d.getMetadata().getAnnotations());
        DeploymentStatus status = d.getStatus();
        if (!annotations.equals(orEmpty(stored.getMetadata().getAnnotations()))) {
            Deployment withAnnotations = new DeploymentBuilder(stored).editMetadata().withAnnotations(annotations)
                    .endMetadata().build();
            stored = client.apps().deployments().inNamespace(namespace).resource(withAnnotations).update();
        }
        if (!Objects.equals(status, stored.getStatus())) {
            Deployment withStatus = new DeploymentBuilder(stored).withStatus(status).build();
            stored = client.apps().deployments().inNamespace(namespace).resource(withStatus).subresource("status")
                    .update();
        }
        d = new DeploymentBuilder(stored).build();
    }

    /** A save whose failure is left to the next sync (the error being reported matters more). */
    private void trySave() {
        try {
            save();
        } catch (KubernetesClientException ignored) {
            // the caller throws its own error
        }
    }

    private static Map<String, String> orEmpty(Map<String, String> annotations) {
        return annotations == null ? new HashMap<>() : annotations;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

}
