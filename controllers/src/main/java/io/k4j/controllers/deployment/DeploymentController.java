package io.k4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.k4j.controllers.api.Cache;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import io.k4j.controllers.api.LabelSelectors;
import java.util.Collection;
import java.util.List;

/**
 * Upstream's deployment controller: each Deployment's template runs in a ReplicaSet named after the template's hash;
 * a changed template gets a new ReplicaSet that a RollingUpdate grows within maxSurge while the old ones shrink within
 * maxUnavailable (Recreate empties the old ones first), with revisions, pause, resize of a rollout in progress,
 * history clean-up, and the Progressing and Available conditions kubectl rollout status reads. One reconcile is one
 * {@link DeploymentSync}.
 */
public final class DeploymentController implements Reconciler {

    public static final String NAME = "deployment";

    @Override
    public void watch(Watches watches) {
        watches.primary(Deployment.class);
        Cache<Deployment> deployments = watches.cache(Deployment.class);
        watches.mapped(ReplicaSet.class, rs -> deploymentsToSync(rs, deployments));
        Cache<ReplicaSet> replicaSets = watches.cache(ReplicaSet.class);
        watches.mapped(Pod.class, pod -> recreateDeploymentOf(pod, replicaSets, deployments));
    }

    /** A ReplicaSet's controlling Deployment, or for an orphan every Deployment whose selector matches it. */
    private static Collection<ObjectKey> deploymentsToSync(ReplicaSet rs, Cache<Deployment> deployments) {
        String namespace = rs.getMetadata().getNamespace();
        var ref = OwnerRefs.controllerOf(rs);
        if (ref.isPresent()) {
            return "Deployment".equals(ref.get().getKind()) ? List.of(new ObjectKey(namespace, ref.get().getName()))
                    : List.of();
        }
        return deployments.list(namespace).stream()
                .filter(d -> !LabelSelectors.isEmpty(d.getSpec().getSelector())
                        && LabelSelectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels()))
                .map(ObjectKey::of).toList();
    }

    /** A Recreate Deployment waits for its old pods to be gone, so their changes concern it. */
    private static Collection<ObjectKey> recreateDeploymentOf(Pod pod, Cache<ReplicaSet> replicaSets,
            Cache<Deployment> deployments) {
        String namespace = pod.getMetadata().getNamespace();
        return OwnerRefs.controllerOf(pod).filter(ref -> "ReplicaSet".equals(ref.getKind()))
                .flatMap(ref -> replicaSets.get(new ObjectKey(namespace, ref.getName())))
                .flatMap(OwnerRefs::controllerOf).filter(ref -> "Deployment".equals(ref.getKind()))
                .flatMap(ref -> deployments.get(new ObjectKey(namespace, ref.getName())))
                .filter(d -> !RolloutMath.isRollingUpdate(d))
                .map(d -> List.of(ObjectKey.of(d))).orElse(List.of());
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        return context.cache(Deployment.class).get(key).map(d -> new DeploymentSync(d, context).run())
                .orElse(Result.done());
    }
}
