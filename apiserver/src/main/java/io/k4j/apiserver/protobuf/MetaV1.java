package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** k8s.io/apimachinery/pkg/apis/meta/v1 messages embedded in every group's objects. */
final class MetaV1 {

    static final Schema OWNER_REFERENCE = message()
            .string(1, "*kind").string(3, "*name").string(4, "*uid").string(5, "*apiVersion")
            .bool(6, "*controller").bool(7, "*blockOwnerDeletion");

    static final Schema MANAGED_FIELDS_ENTRY = message()
            .string(1, "manager").string(2, "operation").string(3, "apiVersion").time(4, "time")
            .string(6, "fieldsType").rawJson(7, "fieldsV1").string(8, "subresource");

    static final Schema OBJECT_META = message()
            .string(1, "name").string(2, "generateName").string(3, "namespace").string(4, "selfLink")
            .string(5, "uid").string(6, "resourceVersion").int64(7, "generation").time(8, "creationTimestamp")
            .time(9, "deletionTimestamp").int64(10, "*deletionGracePeriodSeconds")
            .stringMap(11, "labels").stringMap(12, "annotations").objects(13, "ownerReferences", OWNER_REFERENCE)
            .strings(14, "finalizers").objects(17, "managedFields", MANAGED_FIELDS_ENTRY);

    static final Schema LABEL_SELECTOR_REQUIREMENT = message()
            .string(1, "*key").string(2, "*operator").strings(3, "values");

    static final Schema LABEL_SELECTOR = message()
            .stringMap(1, "matchLabels").objects(2, "matchExpressions", LABEL_SELECTOR_REQUIREMENT);

    static final Schema CONDITION = message()
            .string(1, "*type").string(2, "*status").int64(3, "observedGeneration").time(4, "*lastTransitionTime")
            .string(5, "*reason").string(6, "*message");

    static final Schema PRECONDITIONS = message()
            .string(1, "*uid").string(2, "*resourceVersion");

    static final Schema DELETE_OPTIONS = message()
            .int64(1, "*gracePeriodSeconds").object(2, "preconditions", PRECONDITIONS).bool(3, "*orphanDependents")
            .string(4, "*propagationPolicy").strings(5, "dryRun")
            .bool(6, "*ignoreStoreReadErrorWithClusterBreakingPotential");

    /** Kinds of meta.k8s.io/v1; DeleteOptions is also accepted under every other group version. */
    static final Map<String, Schema> KINDS = Map.of("DeleteOptions", DELETE_OPTIONS);

    private MetaV1() {
    }
}
