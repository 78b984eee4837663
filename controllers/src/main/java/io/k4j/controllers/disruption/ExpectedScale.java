package io.k4j.controllers.disruption;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How many pods a budget's pods should number: the replicas of their controllers (a ReplicaSet's Deployment when it
 * has one, else the ReplicaSet, a ReplicationController, a StatefulSet), each counted once, as upstream's finders
 * do; a pod whose controller cannot be resolved counts as one.
 */
final class ExpectedScale {

    private ExpectedScale() {
    }

    static int of(Collection<Pod> pods, Context context) {
        Map<String, Integer> scaleByController = new HashMap<>();
        int unresolved = 0;
        for (Pod pod : pods) {
            Optional<Map.Entry<String, Integer>> controller = OwnerRefs.controllerOf(pod)
                    .flatMap(ref -> resolve(pod.getMetadata().getNamespace(), ref, context));
            if (controller.isPresent()) {
                scaleByController.put(controller.get().getKey(), controller.get().getValue());
            } else {
                unresolved++;
            }
        }
        return unresolved + scaleByController.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The controller's uid and replicas. */
    private static Optional<Map.Entry<String, Integer>> resolve(String namespace, OwnerReference ref, Context context) {
        ObjectKey key = new ObjectKey(namespace, ref.getName());
        return switch (ref.getKind()) {
            case "ReplicaSet" -> context.cache(ReplicaSet.class).get(key)
                    .filter(rs -> rs.getMetadata().getUid().equals(ref.getUid()))
                    .flatMap(rs -> OwnerRefs.controllerOf(rs).filter(owner -> "Deployment".equals(owner.getKind()))
                            .flatMap(owner -> context.cache(Deployment.class).get(new ObjectKey(namespace, owner.getName()))
                                    .filter(d -> d.getMetadata().getUid().equals(owner.getUid()))
                                    .map(d -> Map.entry(d.getMetadata().getUid(), replicas(d.getSpec().getReplicas()))))
                            .or(() -> Optional.of(Map.entry(rs.getMetadata().getUid(),
                                    replicas(rs.getSpec().getReplicas())))));
            case "ReplicationController" -> context.cache(ReplicationController.class).get(key)
                    .filter(rc -> rc.getMetadata().getUid().equals(ref.getUid()))
                    .map(rc -> Map.entry(rc.getMetadata().getUid(), replicas(rc.getSpec().getReplicas())));
            case "StatefulSet" -> context.cache(StatefulSet.class).get(key)
                    .filter(ss -> ss.getMetadata().getUid().equals(ref.getUid()))
                    .map(ss -> Map.entry(ss.getMetadata().getUid(), replicas(ss.getSpec().getReplicas())));
            default -> Optional.empty();
        };
    }

    private static int replicas(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }
}
