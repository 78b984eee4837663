package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** scheduling.k8s.io/v1, field numbers from k8s.io/api/scheduling/v1/generated.proto. */
final class SchedulingV1 {

    static final Schema PRIORITY_CLASS = message()
            .object(1, "metadata", MetaV1.OBJECT_META).int32(2, "*value").bool(3, "globalDefault")
            .string(4, "description").string(5, "*preemptionPolicy");

    static final Map<String, Schema> KINDS = Map.of("PriorityClass", PRIORITY_CLASS);

    private SchedulingV1() {
    }
}
