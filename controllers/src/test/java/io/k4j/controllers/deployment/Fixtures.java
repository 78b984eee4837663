package io.k4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.Map;

/** Deployments and ReplicaSets for the pure rollout tests. */
final class Fixtures {

    private Fixtures() {
    }

    static IntOrString value(String text) {
        return text.endsWith("%") ? new IntOrString(text) : new IntOrString(Integer.parseInt(text));
    }

    static Deployment rolling(int replicas, String maxSurge, String maxUnavailable) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns").withGeneration(1L)
                .endMetadata().withNewSpec().withReplicas(replicas).withProgressDeadlineSeconds(600)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(value(maxSurge)).withMaxUnavailable(value(maxUnavailable)).endRollingUpdate()
                .endStrategy().endSpec().build();
    }

    static Deployment recreate(int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns").withGeneration(1L)
                .endMetadata().withNewSpec().withReplicas(replicas).withNewStrategy().withType("Recreate")
                .endStrategy().endSpec().build();
    }

    /** A ReplicaSet created at second {@code createdSecond}, with all its pods existing and {@code available} up. */
    static ReplicaSet rs(String name, int replicas, int available, int createdSecond, Map<String, String> annotations) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .withUid("uid-" + name).withAnnotations(annotations)
                .withCreationTimestamp(String.format("2026-01-01T00:00:%02dZ", createdSecond)).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(available).withAvailableReplicas(available)
                .endStatus().build();
    }

    static ReplicaSet rs(String name, int replicas, int available, int createdSecond) {
        return rs(name, replicas, available, createdSecond, Map.of());
    }
}
