package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Clock;

/** Keeps spec.replicas pods of each ReplicaSet. */
public final class ReplicaSetController extends ReplicaController<ReplicaSet> {

    public static final String NAME = "replicaset";

    public ReplicaSetController(Clock clock) {
        super(ReplicaKind.REPLICA_SET, clock);
    }
}
