package io.k4j.controllers.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import io.k4j.controllers.history.Adoption;
import io.k4j.controllers.history.RevisionHistory;
import io.k4j.controllers.history.Revisions;
import io.k4j.controllers.history.StatusWriter;
import io.k4j.controllers.statefulset.StatefulSetPlan.Create;
import io.k4j.controllers.statefulset.StatefulSetPlan.Delete;
import io.k4j.controllers.statefulset.StatefulSetPlan.Plan;
import io.k4j.controllers.statefulset.StatefulSetPlan.Relabel;
import io.k4j.controllers.statefulset.StatefulSetPlan.Settings;
import io.k4j.controllers.statefulset.StatefulSetPlan.Why;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's StatefulSet controller: pods with stable names and claims, created and removed in ordinal order
 * (OrderedReady) or all at once (Parallel), rolled to the newest ControllerRevision highest ordinal first down to
 * the partition (or left for the user to delete, OnDelete), and the status kubectl rollout reads.
 */
public final class StatefulSetController implements Reconciler {

    public static final String NAME = "statefulset";
    static final String KIND = "StatefulSet";

    @Override
    public void watch(Watches watches) {
        watches.primary(StatefulSet.class)
                .mapped(Pod.class, StatefulSetController::setOf)
                .owned(ControllerRevision.class, KIND)
                .cached(PersistentVolumeClaim.class);
    }

    /** A pod's StatefulSet: its controller, or for an orphan the set its name says it belongs to (for adoption). */
    private static List<ObjectKey> setOf(Pod pod) {
        var controller = OwnerRefs.controllerOf(pod);
        String namespace = pod.getMetadata().getNamespace();
        if (controller.isPresent()) {
            return KIND.equals(controller.get().getKind())
                    ? List.of(new ObjectKey(namespace, controller.get().getName())) : List.of();
        }
        String name = pod.getMetadata().getName();
        int dash = name == null ? -1 : name.lastIndexOf('-');
        return dash > 0 ? List.of(new ObjectKey(namespace, name.substring(0, dash))) : List.of();
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        StatefulSet set = context.cache(StatefulSet.class).get(key).orElse(null);
        if (set == null || set.getMetadata().getDeletionTimestamp() != null) {
            return Result.done(); // the garbage collector removes its pods
        }
        String setName = set.getMetadata().getName();
        var client = context.client();
        List<Pod> pods = Adoption.claim(client, Pod.class, set, set.getSpec().getSelector(),
                context.cache(Pod.class).list(key.namespace()),
                pod -> StatefulSetPods.ordinalOf(setName, pod) >= 0);
        List<ControllerRevision> history = new ArrayList<>(Adoption.claim(client, ControllerRevision.class, set,
                set.getSpec().getSelector(), context.cache(ControllerRevision.class).list(key.namespace()), r -> true));
        StatefulSetStatus oldStatus = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        var found = RevisionHistory.updateRevision(client, set, history, set.getSpec().getTemplate(),
                oldStatus.getCollisionCount());
        if (found.collided()) {
            StatusWriter.statefulSet(client, set, withCollisionCount(oldStatus, found.collisionCount()));
            return Result.retry();
        }
        ControllerRevision update = found.revision();
        history.removeIf(r -> r.getMetadata().getName().equals(update.getMetadata().getName()));
        history.add(update);
        ControllerRevision current = Objects.requireNonNullElse(
                Revisions.byName(history, oldStatus.getCurrentRevision()), update);

        Settings settings = Settings.of(set);
        Plan plan = StatefulSetPlan.plan(settings, pods, setName, current.getMetadata().getName(),
                update.getMetadata().getName(), context.clock().instant());
        for (var action : plan.actions()) {
            switch (action) {
                case Create create -> createPod(context, set, create.fromCurrentRevision() ? current : update,
                        create.ordinal());
                case Delete delete -> deletePod(context, set, delete);
                case Relabel relabel -> relabel(context, set, relabel.pod());
            }
        }
        StatefulSetStatus status = StatefulSetStatuses.next(set, settings, plan.counts(),
                current.getMetadata().getName(), update.getMetadata().getName(), found.collisionCount());
        if (!StatefulSetStatuses.same(status, oldStatus)) {
            StatusWriter.statefulSet(client, set, status);
        }
        RevisionHistory.truncate(client, history, liveRevisions(pods, status), revisionHistoryLimit(set));
        return recheckAvailability(settings, plan);
    }

    private static StatefulSetStatus withCollisionCount(StatefulSetStatus status, Integer collisionCount) {
        StatefulSetStatus copy = new StatefulSetStatus();
        copy.setCollisionCount(collisionCount);
        copy.setObservedGeneration(status.getObservedGeneration());
        return copy;
    }

    private static int revisionHistoryLimit(StatefulSet set) {
        return set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
    }

    private static Set<String> liveRevisions(List<Pod> pods, StatefulSetStatus status) {
        Set<String> live = new HashSet<>();
        live.add(status.getCurrentRevision());
        live.add(status.getUpdateRevision());
        pods.forEach(pod -> live.add(StatefulSetPlan.revisionOf(pod)));
        return live;
    }

    /** Ready pods become available after minReadySeconds, which no event announces: look again then. */
    private static Result recheckAvailability(Settings settings, Plan plan) {
        if (settings.minReadySeconds() > 0 && plan.counts().available() < plan.counts().ready()) {
            return Result.requeueAfter(Duration.ofSeconds(settings.minReadySeconds()));
        }
        return Result.done();
    }

    private void createPod(Context context, StatefulSet set, ControllerRevision revision, int ordinal) {
        String setName = set.getMetadata().getName();
        String podName = StatefulSetPods.podName(setName, ordinal);
        for (PersistentVolumeClaim claim : StatefulSetPods.claims(set, ordinal)) {
            createClaim(context, set, claim, podName);
        }
        PodTemplateSpec template = Objects.requireNonNullElse(Revisions.template(revision), set.getSpec().getTemplate());
        Pod pod = StatefulSetPods.newPod(set, template, revision.getMetadata().getName(), ordinal);
        try {
            context.client().pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return; // made by an earlier pass our cache has not caught up with
            }
            context.events().warning(set, "FailedCreate",
                    "create Pod " + podName + " in StatefulSet " + setName + " failed error: " + e.getMessage());
            throw e;
        }
        context.events().normal(set, "SuccessfulCreate", "create Pod " + podName + " in StatefulSet " + setName
                + " successful");
    }

    private void createClaim(Context context, StatefulSet set, PersistentVolumeClaim claim, String podName) {
        String setName = set.getMetadata().getName();
        String claimName = claim.getMetadata().getName();
        if (context.cache(PersistentVolumeClaim.class).get(new ObjectKey(set.getMetadata().getNamespace(), claimName))
                .isPresent()) {
            return;
        }
        if ("Delete".equals(retention(set).whenDeleted())) {
            claim.getMetadata().setOwnerReferences(List.of(OwnerRefs.controllerRef(set)));
        }
        try {
            context.client().persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace()).resource(claim)
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return; // the claim outlived an earlier pod of this ordinal: the new pod reuses it
            }
            context.events().warning(set, "FailedCreate", "create Claim " + claimName + " for Pod " + podName
                    + " in StatefulSet " + setName + " failed error: " + e.getMessage());
            throw e;
        }
        context.events().normal(set, "SuccessfulCreate", "create Claim " + claimName + " Pod " + podName
                + " in StatefulSet " + setName + " success");
    }

    private void deletePod(Context context, StatefulSet set, Delete delete) {
        Pod pod = delete.pod();
        if (delete.why() == Why.CONDEMNED && "Delete".equals(retention(set).whenScaled())) {
            releaseClaimsToPod(context, set, pod);
        }
        String setName = set.getMetadata().getName();
        String podName = pod.getMetadata().getName();
        try {
            context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(podName).delete();
        } catch (KubernetesClientException e) {
            context.events().warning(set, "FailedDelete",
                    "delete Pod " + podName + " in StatefulSet " + setName + " failed error: " + e.getMessage());
            throw e;
        }
        context.events().normal(set, "SuccessfulDelete", "delete Pod " + podName + " in StatefulSet " + setName
                + " successful");
    }

    /** whenScaled: Delete makes the condemned pod own its claims, so the garbage collector removes them after it. */
    private void releaseClaimsToPod(Context context, StatefulSet set, Pod pod) {
        int ordinal = StatefulSetPods.ordinalOf(set.getMetadata().getName(), pod);
        OwnerReference podRef = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build();
        for (PersistentVolumeClaim template : StatefulSetPods.claims(set, ordinal)) {
            String name = template.getMetadata().getName();
            var cached = context.cache(PersistentVolumeClaim.class).get(new ObjectKey(set.getMetadata().getNamespace(), name));
            if (cached.isEmpty() || hasOwner(cached.get().getMetadata(), pod.getMetadata().getUid())) {
                continue;
            }
            context.client().persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace()).withName(name)
                    .edit(claim -> {
                        List<OwnerReference> refs = new ArrayList<>(claim.getMetadata().getOwnerReferences() == null
                                ? List.of() : claim.getMetadata().getOwnerReferences());
                        refs.add(podRef);
                        claim.getMetadata().setOwnerReferences(refs);
                        return claim;
                    });
        }
    }

    private static boolean hasOwner(ObjectMeta meta, String uid) {
        return meta.getOwnerReferences() != null && meta.getOwnerReferences().stream().anyMatch(r -> uid.equals(r.getUid()));
    }

    private void relabel(Context context, StatefulSet set, Pod pod) {
        int ordinal = StatefulSetPods.ordinalOf(set.getMetadata().getName(), pod);
        Map<String, String> labels = StatefulSetPods.identityLabels(set.getMetadata().getName(), ordinal);
        context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .edit(p -> {
                    Map<String, String> merged = new LinkedHashMap<>(Objects.requireNonNullElse(
                            p.getMetadata().getLabels(), Map.of()));
                    merged.putAll(labels);
                    p.getMetadata().setLabels(merged);
                    return p;
                });
    }

    private record Retention(String whenDeleted, String whenScaled) {
    }

    private static Retention retention(StatefulSet set) {
        var policy = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
        return policy == null ? new Retention("Retain", "Retain")
                : new Retention(Objects.requireNonNullElse(policy.getWhenDeleted(), "Retain"),
                        Objects.requireNonNullElse(policy.getWhenScaled(), "Retain"));
    }
}
