package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** apps/v1, field numbers from k8s.io/api/apps/v1/generated.proto. */
final class AppsV1 {

    static final Schema DEPLOYMENT_STRATEGY = message()
            .string(1, "type")
            .object(2, "rollingUpdate", message().intOrString(1, "maxUnavailable").intOrString(2, "maxSurge"));

    static final Schema DEPLOYMENT_SPEC = message()
            .int32(1, "*replicas").object(2, "selector", MetaV1.LABEL_SELECTOR)
            .object(3, "template", CoreV1.POD_TEMPLATE_SPEC).object(4, "strategy", DEPLOYMENT_STRATEGY)
            .int32(5, "minReadySeconds").int32(6, "*revisionHistoryLimit").bool(7, "paused")
            .int32(9, "*progressDeadlineSeconds");

    static final Schema DEPLOYMENT_CONDITION = message()
            .string(1, "*type").string(2, "*status").time(6, "lastUpdateTime").time(7, "lastTransitionTime")
            .string(4, "reason").string(5, "message");

    static final Schema DEPLOYMENT_STATUS = message()
            .int64(1, "observedGeneration").int32(2, "replicas").int32(3, "updatedReplicas")
            .int32(7, "readyReplicas").int32(4, "availableReplicas").int32(5, "unavailableReplicas")
            .int32(9, "*terminatingReplicas").objects(6, "conditions", DEPLOYMENT_CONDITION)
            .int32(8, "*collisionCount");

    static final Schema DEPLOYMENT = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "spec", DEPLOYMENT_SPEC)
            .object(3, "status", DEPLOYMENT_STATUS);

    static final Map<String, Schema> KINDS = Map.of("Deployment", DEPLOYMENT);

    private AppsV1() {
    }
}
