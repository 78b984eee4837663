package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** policy/v1, field numbers from k8s.io/api/policy/v1/generated.proto. */
final class PolicyV1 {

    static final Schema POD_DISRUPTION_BUDGET = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().intOrString(1, "minAvailable").object(2, "selector", MetaV1.LABEL_SELECTOR)
                    .intOrString(3, "maxUnavailable").string(4, "*unhealthyPodEvictionPolicy"))
            .object(3, "status", message().int64(1, "observedGeneration").timeMap(2, "disruptedPods")
                    .int32(3, "*disruptionsAllowed").int32(4, "*currentHealthy").int32(5, "*desiredHealthy")
                    .int32(6, "*expectedPods").objects(7, "conditions", MetaV1.CONDITION));

    static final Schema EVICTION = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "deleteOptions", MetaV1.DELETE_OPTIONS);

    static final Map<String, Schema> KINDS = Map.of(
            "PodDisruptionBudget", POD_DISRUPTION_BUDGET,
            "Eviction", EVICTION);

    private PolicyV1() {
    }
}
