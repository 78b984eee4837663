package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ReplicationController;
import java.time.Clock;

/** Keeps spec.replicas pods of each ReplicationController (upstream's ReplicationManager). */
public final class ReplicationManager extends ReplicaController<ReplicationController> {

    public static final String NAME = "replicationcontroller";

    public ReplicationManager(Clock clock) {
        super(ReplicaKind.REPLICATION_CONTROLLER, clock);
    }
}
