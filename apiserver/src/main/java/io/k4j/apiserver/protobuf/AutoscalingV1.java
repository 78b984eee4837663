package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** autoscaling/v1 (what kubectl autoscale sends), field numbers from k8s.io/api/autoscaling/v1/generated.proto. */
final class AutoscalingV1 {

    static final Schema HORIZONTAL_POD_AUTOSCALER = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message()
                    .object(1, "scaleTargetRef", message().string(1, "*kind").string(2, "*name").string(3, "apiVersion"))
                    .int32(2, "*minReplicas").int32(3, "*maxReplicas").int32(4, "*targetCPUUtilizationPercentage"))
            .object(3, "status", message().int64(1, "*observedGeneration").time(2, "lastScaleTime")
                    .int32(3, "*currentReplicas").int32(4, "*desiredReplicas")
                    .int32(5, "*currentCPUUtilizationPercentage"));

    static final Map<String, Schema> KINDS = Map.of("HorizontalPodAutoscaler", HORIZONTAL_POD_AUTOSCALER);

    private AutoscalingV1() {
    }
}
