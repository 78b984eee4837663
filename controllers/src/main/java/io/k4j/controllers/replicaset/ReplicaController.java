package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.controllers.api.Cache;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.Expectations;
import io.k4j.controllers.api.LabelSelectors;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's ReplicaSet controller, for ReplicaSets and (through {@link ReplicaKind}) ReplicationControllers: it
 * claims the active pods its selector matches, creates pods from the template or deletes the least valuable ones
 * until their number is spec.replicas, and reports replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
 * observedGeneration and a ReplicaFailure condition while creating or deleting fails. Creations and deletions it
 * made are awaited through {@link Expectations} before it counts again, so a lagging cache never doubles them.
 */
public class ReplicaController<T extends HasMetadata> implements Reconciler {

    /** Upstream's burstReplicas: the most pods created or deleted in one sync. */
    public static final int BURST_REPLICAS = 500;
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final ReplicaKind<T> kind;
    private final Expectations expectations;

    protected ReplicaController(ReplicaKind<T> kind, Clock clock) {
        this.kind = kind;
        this.expectations = new Expectations(clock);
    }

    @Override
    public void watch(Watches watches) {
        watches.primary(kind.type());
        Cache<T> owners = watches.cache(kind.type());
        // Declared before the mapping so expectations are lowered before the owner is queued.
        watches.cached(Pod.class, this::observe);
        watches.mapped(Pod.class, pod -> ownersToSync(pod, owners));
    }

    /** A pod's controlling owner of this kind, or for an orphan every owner whose selector matches it. */
    private Collection<ObjectKey> ownersToSync(Pod pod, Cache<T> owners) {
        var ref = OwnerRefs.controllerOf(pod);
        String namespace = pod.getMetadata().getNamespace();
        if (ref.isPresent()) {
            return kind.kind().equals(ref.get().getKind()) ? List.of(new ObjectKey(namespace, ref.get().getName()))
                    : List.of();
        }
        if (!Pods.isActive(pod)) {
            return List.of();
        }
        List<ObjectKey> keys = new ArrayList<>();
        for (T owner : owners.list(namespace)) {
            LabelSelector selector = kind.selector(owner);
            if (!LabelSelectors.isEmpty(selector) && LabelSelectors.matches(selector, pod.getMetadata().getLabels())) {
                keys.add(ObjectKey.of(owner));
            }
        }
        return keys;
    }

    /** Lowers expectations: a pod of ours appeared, or started or finished going away without having started. */
    private void observe(Watches.Event event, Pod oldPod, Pod pod) {
        Optional<ObjectKey> owner = ownerKey(pod);
        if (owner.isEmpty()) {
            return;
        }
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        switch (event) {
            case ADDED -> {
                if (deleting) {
                    expectations.deletionObserved(owner.get());
                } else {
                    expectations.creationObserved(owner.get());
                }
            }
            case UPDATED -> {
                if (deleting && oldPod.getMetadata().getDeletionTimestamp() == null) {
                    expectations.deletionObserved(owner.get());
                }
            }
            case DELETED -> {
                if (!deleting) {
                    expectations.deletionObserved(owner.get());
                }
            }
        }
    }

    private Optional<ObjectKey> ownerKey(Pod pod) {
        return OwnerRefs.controllerOf(pod).filter(ref -> kind.kind().equals(ref.getKind()))
                .map(ref -> new ObjectKey(pod.getMetadata().getNamespace(), ref.getName()));
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Optional<T> found = context.cache(kind.type()).get(key);
        if (found.isEmpty()) {
            expectations.forget(key);
            return Result.done();
        }
        T owner = found.get();
        boolean needsSync = expectations.satisfied(key);
        LabelSelector selector = kind.selector(owner);
        List<Pod> active = context.cache(Pod.class).list(key.namespace()).stream().filter(Pods::isActive).toList();
        List<Pod> pods = new ControllerRefClaims<>(context.client(), Pod.class, owner,
                pod -> LabelSelectors.matches(selector, pod.getMetadata().getLabels())).claim(active);

        int diff = pods.size() - kind.replicas(owner);
        String failure = null;
        if (needsSync && owner.getMetadata().getDeletionTimestamp() == null) {
            failure = manageReplicas(key, owner, pods, diff, context);
        }
        Instant now = context.clock().instant();
        ReplicaStatus current = kind.status(owner);
        ReplicaStatus wanted = ReplicaStatuses.calculate(current, pods, kind.template(owner),
                kind.minReadySeconds(owner), owner.getMetadata().getGeneration(), failure, diff, now);
        if (!wanted.equals(current)) {
            writeStatus(owner, wanted, context);
        }
        if (failure != null) {
            return Result.retry();
        }
        Result result = ReplicaStatuses.untilNextAvailable(pods, kind.minReadySeconds(owner), now)
                .map(Result::requeueAfter).orElse(Result.done());
        return needsSync ? result : result.andThen(Result.requeueAfter(Expectations.TIMEOUT));
    }

    /** Creates or deletes pods towards spec.replicas; returns the first error's message, or null. */
    private String manageReplicas(ObjectKey key, T owner, List<Pod> pods, int diff, Context context) {
        if (diff < 0) {
            int wanted = Math.min(-diff, BURST_REPLICAS);
            expectations.expect(key, wanted, 0);
            var outcome = SlowStart.run(wanted, () -> createPod(owner, context));
            for (int i = outcome.succeeded(); i < wanted; i++) {
                expectations.creationObserved(key); // never coming
            }
            return outcome.firstError();
        }
        if (diff > 0) {
            int surplus = Math.min(diff, BURST_REPLICAS);
            List<Pod> victims = PodDeletionOrder.podsToDelete(pods, relatedPods(owner, context), surplus,
                    context.clock().instant());
            expectations.expect(key, 0, victims.size());
            return SlowStart.all(victims, pod -> deletePod(key, owner, pod, context));
        }
        return null;
    }

    private void createPod(T owner, Context context) {
        Pod pod = Pods.fromTemplate(kind.template(owner), owner, owner.getMetadata().getName() + "-", null);
        try {
            Pod created = context.client().pods().inNamespace(owner.getMetadata().getNamespace()).resource(pod)
                    .create();
            context.events().normal(owner, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        } catch (KubernetesClientException e) {
            context.events().warning(owner, "FailedCreate", "Error creating: " + message(e));
            throw e;
        }
    }

    private void deletePod(ObjectKey key, T owner, Pod pod, Context context) {
        String name = pod.getMetadata().getName();
        try {
            context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
            context.events().normal(owner, "SuccessfulDelete", "Deleted pod: " + name);
        } catch (KubernetesClientException e) {
            expectations.deletionObserved(key);
            if (e.getCode() == 404) {
                return;
            }
            context.events().warning(owner, "FailedDelete", "Error deleting: " + message(e));
            throw e;
        }
    }

    /** The active pods of every owner of this kind controlled by the same controller (a Deployment's siblings). */
    private List<Pod> relatedPods(T owner, Context context) {
        var controller = OwnerRefs.controllerOf(owner);
        if (controller.isEmpty()) {
            return List.of();
        }
        List<Pod> related = new ArrayList<>();
        for (T sibling : context.cache(kind.type()).ownedBy(controller.get().getUid())) {
            if (OwnerRefs.controllerOf(sibling).map(ref -> ref.getUid().equals(controller.get().getUid()))
                    .orElse(false)) {
                context.cache(Pod.class).ownedBy(sibling.getMetadata().getUid()).stream()
                        .filter(Pods::isActive).forEach(related::add);
            }
        }
        return related;
    }

    private void writeStatus(T owner, ReplicaStatus status, Context context) {
        context.client().resources(kind.type()).inNamespace(owner.getMetadata().getNamespace())
                .withName(owner.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(Map.of("status", status.toJson())));
    }

    /** The API's message, as upstream prints an error (without fabric8's request preamble). */
    public static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
    }
}
