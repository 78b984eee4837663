package io.k4j.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.Expectations;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import io.k4j.controllers.history.Adoption;
import io.k4j.controllers.history.RevisionHistory;
import io.k4j.controllers.history.Revisions;
import io.k4j.controllers.history.StatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's DaemonSet controller: one pod per eligible node (node selector, required node affinity, taints against
 * the template's tolerations plus the daemon ones), each pinned to its node by a required node affinity and placed
 * by the scheduler; pods leave nodes that stop qualifying; RollingUpdate replaces pods within maxUnavailable or
 * maxSurge, OnDelete leaves that to the user.
 */
public final class DaemonSetController implements Reconciler {

    public static final String NAME = "daemonset";
    static final String KIND = "DaemonSet";
    /** Keys without a namespace never name a DaemonSet: this one asks to look at every DaemonSet (a node changed). */
    static final ObjectKey ALL = ObjectKey.cluster("*");

    private final Expectations expectations;
    private final FailedPodBackoff failedPods;

    public DaemonSetController(Clock clock) {
        this.expectations = new Expectations(clock);
        this.failedPods = new FailedPodBackoff(clock);
    }

    @Override
    public void watch(Watches watches) {
        // expectations first, so a pod event's reconcile already sees it counted
        watches.cached(Pod.class, this::observe)
                .primary(DaemonSet.class)
                .mapped(Pod.class, DaemonSetController::setOf)
                .owned(ControllerRevision.class, KIND)
                .mapped(Node.class, node -> List.of(ALL));
    }

    /** A pod's DaemonSet, or for an orphan every DaemonSet of its namespace (one of them may adopt it). */
    private static List<ObjectKey> setOf(Pod pod) {
        var controller = OwnerRefs.controllerOf(pod);
        if (controller.isEmpty()) {
            return List.of(ObjectKey.cluster(pod.getMetadata().getNamespace()));
        }
        return KIND.equals(controller.get().getKind())
                ? List.of(new ObjectKey(pod.getMetadata().getNamespace(), controller.get().getName())) : List.of();
    }

    /** Lowers the expectations of the pod's DaemonSet as its creations and deletions show up. */
    private void observe(Watches.Event event, Pod oldPod, Pod pod) {
        var controller = OwnerRefs.controllerOf(pod).filter(ref -> KIND.equals(ref.getKind()));
        if (controller.isEmpty()) {
            return;
        }
        ObjectKey key = new ObjectKey(pod.getMetadata().getNamespace(), controller.get().getName());
        switch (event) {
            case ADDED -> expectations.creationObserved(key);
            case UPDATED -> {
                if (oldPod.getMetadata().getDeletionTimestamp() == null && pod.getMetadata().getDeletionTimestamp() != null) {
                    expectations.deletionObserved(key);
                }
            }
            case DELETED -> {
                if (pod.getMetadata().getDeletionTimestamp() == null) {
                    expectations.deletionObserved(key);
                }
            }
        }
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        if (key.namespace() == null || key.namespace().isEmpty()) {
            fanOut(key, context);
            return Result.done();
        }
        DaemonSet set = context.cache(DaemonSet.class).get(key).orElse(null);
        if (set == null) {
            expectations.forget(key);
            failedPods.forget(key.cacheKey());
            return Result.done();
        }
        if (set.getMetadata().getDeletionTimestamp() != null) {
            return Result.done(); // the garbage collector removes its pods
        }
        var client = context.client();
        List<Pod> pods = Adoption.claim(client, Pod.class, set, set.getSpec().getSelector(),
                context.cache(Pod.class).list(key.namespace()), pod -> true);
        List<ControllerRevision> history = new ArrayList<>(Adoption.claim(client, ControllerRevision.class, set,
                set.getSpec().getSelector(), context.cache(ControllerRevision.class).list(key.namespace()), r -> true));
        DaemonSetStatus oldStatus = set.getStatus() == null ? new DaemonSetStatus() : set.getStatus();
        var found = RevisionHistory.updateRevision(client, set, history, set.getSpec().getTemplate(),
                oldStatus.getCollisionCount());
        if (found.collided()) {
            DaemonSetStatus collided = new DaemonSetStatus();
            collided.setCollisionCount(found.collisionCount());
            StatusWriter.daemonSet(client, set, collided);
            return Result.retry();
        }
        ControllerRevision current = found.revision();
        String hash = current.getMetadata().getLabels().get(Revisions.HASH_LABEL);
        history.removeIf(r -> r.getMetadata().getName().equals(current.getMetadata().getName()));
        history.add(current);

        var settings = DaemonSetPlan.Settings.of(set);
        var plan = DaemonSetPlan.plan(settings, DaemonPods.withDaemonTolerations(set.getSpec().getTemplate().getSpec()),
                context.cache(Node.class).list(), pods, hash, context.clock().instant());
        boolean waiting = !expectations.satisfied(key);
        Result result = waiting ? Result.requeueAfter(Duration.ofSeconds(1)) : Result.done();
        if (!waiting) {
            result = act(context, key, set, current, hash, plan);
        }
        DaemonSetStatus status = status(set, plan.counts(), found.collisionCount());
        if (!same(status, oldStatus)) {
            StatusWriter.daemonSet(client, set, status);
        }
        RevisionHistory.truncate(client, history, liveRevisions(history, pods, current),
                set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit());
        if (settings.minReadySeconds() > 0 && plan.counts().available() < plan.counts().ready()) {
            result = result.andThen(Result.requeueAfter(Duration.ofSeconds(settings.minReadySeconds())));
        }
        return result;
    }

    private static void fanOut(ObjectKey marker, Context context) {
        var sets = ALL.equals(marker) ? context.cache(DaemonSet.class).list()
                : context.cache(DaemonSet.class).list(marker.name());
        sets.forEach(set -> context.enqueue(ObjectKey.of(set), Duration.ZERO));
    }

    /** Creates and deletes what the plan says; failed pods wait out their node's backoff (the result says how long). */
    private Result act(Context context, ObjectKey key, DaemonSet set, ControllerRevision current, String hash,
            DaemonSetPlan.Plan plan) {
        Result result = Result.done();
        List<Pod> delete = new ArrayList<>();
        for (Pod pod : plan.delete()) {
            var wait = plan.failed().contains(pod) ? failedPods.tryKill(key.cacheKey(), DaemonPods.targetNode(pod))
                    : Optional.<Duration>empty();
            if (wait.isPresent()) {
                result = result.andThen(Result.requeueAfter(wait.get()));
            } else {
                delete.add(pod);
            }
        }
        if (plan.createOn().isEmpty() && delete.isEmpty()) {
            return result;
        }
        expectations.expect(key, plan.createOn().size(), delete.size());
        PodTemplateSpec template = Objects.requireNonNullElse(Revisions.template(current), set.getSpec().getTemplate());
        for (String node : plan.createOn()) {
            Pod pod = DaemonPods.newPod(set, template, hash, node);
            try {
                Pod created = context.client().pods().inNamespace(key.namespace()).resource(pod).create();
                context.events().normal(set, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            } catch (KubernetesClientException e) {
                expectations.creationObserved(key);
                context.events().warning(set, "FailedCreate", "Error creating: " + e.getMessage());
                throw e;
            }
        }
        for (Pod pod : delete) {
            String name = pod.getMetadata().getName();
            if (plan.failed().contains(pod)) {
                context.events().warning(set, "FailedDaemonPod", "Found failed daemon pod " + key.namespace() + "/"
                        + name + " on node " + DaemonPods.targetNode(pod) + ", will try to kill it");
            }
            try {
                context.client().pods().inNamespace(key.namespace()).withName(name).delete();
                context.events().normal(set, "SuccessfulDelete", "Deleted pod: " + name);
            } catch (KubernetesClientException e) {
                expectations.deletionObserved(key);
                context.events().warning(set, "FailedDelete", "Error deleting: " + e.getMessage());
                throw e;
            }
        }
        return result;
    }

    private static Set<String> liveRevisions(List<ControllerRevision> history, List<Pod> pods, ControllerRevision current) {
        Set<String> hashes = new HashSet<>();
        pods.forEach(pod -> hashes.add(pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(Revisions.HASH_LABEL)));
        Set<String> live = new HashSet<>();
        live.add(current.getMetadata().getName());
        for (ControllerRevision revision : history) {
            if (revision.getMetadata().getLabels() != null
                    && hashes.contains(revision.getMetadata().getLabels().get(Revisions.HASH_LABEL))) {
                live.add(revision.getMetadata().getName());
            }
        }
        return live;
    }

    static DaemonSetStatus status(DaemonSet set, DaemonSetPlan.Counts counts, Integer collisionCount) {
        return new DaemonSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withDesiredNumberScheduled(counts.desired())
                .withCurrentNumberScheduled(counts.current())
                .withNumberMisscheduled(counts.misscheduled())
                .withNumberReady(counts.ready())
                .withUpdatedNumberScheduled(counts.updated())
                .withNumberAvailable(counts.available())
                .withNumberUnavailable(counts.unavailable())
                .withCollisionCount(collisionCount)
                .withConditions(set.getStatus() == null ? null : set.getStatus().getConditions())
                .build();
    }

    static boolean same(DaemonSetStatus a, DaemonSetStatus b) {
        return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(a.getDesiredNumberScheduled(), b.getDesiredNumberScheduled())
                && Objects.equals(a.getCurrentNumberScheduled(), b.getCurrentNumberScheduled())
                && Objects.equals(a.getNumberMisscheduled(), b.getNumberMisscheduled())
                && Objects.equals(a.getNumberReady(), b.getNumberReady())
                && Objects.equals(a.getUpdatedNumberScheduled(), b.getUpdatedNumberScheduled())
                && Objects.equals(a.getNumberAvailable(), b.getNumberAvailable())
                && Objects.equals(a.getNumberUnavailable(), b.getNumberUnavailable())
                && Objects.equals(a.getCollisionCount(), b.getCollisionCount());
    }
}
