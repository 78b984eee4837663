package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Optional;

/**
 * What the replica controller needs to know about the kind it manages. A ReplicationController is a ReplicaSet whose
 * selector is a plain label map, so one controller serves both through this view.
 */
public interface ReplicaKind<T extends HasMetadata> {

    Class<T> type();

    String kind();

    LabelSelector selector(T owner);

    int replicas(T owner);

    int minReadySeconds(T owner);

    PodTemplateSpec template(T owner);

    ReplicaStatus status(T owner);

    ReplicaKind<ReplicaSet> REPLICA_SET = new ReplicaKind<>() {
        @Override
        public Class<ReplicaSet> type() {
            return ReplicaSet.class;
        }

        @Override
        public String kind() {
            return "ReplicaSet";
        }

        @Override
        public LabelSelector selector(ReplicaSet owner) {
            return owner.getSpec().getSelector();
        }

        @Override
        public int replicas(ReplicaSet owner) {
            return Optional.ofNullable(owner.getSpec().getReplicas()).orElse(1);
        }

        @Override
        public int minReadySeconds(ReplicaSet owner) {
            return Optional.ofNullable(owner.getSpec().getMinReadySeconds()).orElse(0);
        }

        @Override
        public PodTemplateSpec template(ReplicaSet owner) {
            return owner.getSpec().getTemplate();
        }

        @Override
        public ReplicaStatus status(ReplicaSet owner) {
            return ReplicaStatus.fromModel(owner.getStatus());
        }
    };

    ReplicaKind<ReplicationController> REPLICATION_CONTROLLER = new ReplicaKind<>() {
        @Override
        public Class<ReplicationController> type() {
            return ReplicationController.class;
        }

        @Override
        public String kind() {
            return "ReplicationController";
        }

        @Override
        public LabelSelector selector(ReplicationController owner) {
            var labels = owner.getSpec().getSelector();
            return labels == null ? null : new LabelSelectorBuilder().withMatchLabels(labels).build();
        }

        @Override
        public int replicas(ReplicationController owner) {
            return Optional.ofNullable(owner.getSpec().getReplicas()).orElse(1);
        }

        @Override
        public int minReadySeconds(ReplicationController owner) {
            return Optional.ofNullable(owner.getSpec().getMinReadySeconds()).orElse(0);
        }

        @Override
        public PodTemplateSpec template(ReplicationController owner) {
            return owner.getSpec().getTemplate();
        }

        @Override
        public ReplicaStatus status(ReplicationController owner) {
            return ReplicaStatus.fromModel(owner.getStatus());
        }
    };
}
