package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** authorization.k8s.io/v1, field numbers from k8s.io/api/authorization/v1/generated.proto. */
final class AuthorizationV1 {

    static final Schema FIELD_SELECTOR_REQUIREMENT = message()
            .string(1, "*key").string(2, "*operator").strings(3, "values");

    static final Schema RESOURCE_ATTRIBUTES = message()
            .string(1, "namespace").string(2, "verb").string(3, "group").string(4, "version").string(5, "resource")
            .string(6, "subresource").string(7, "name")
            .object(8, "fieldSelector", message().string(1, "rawSelector")
                    .objects(2, "requirements", FIELD_SELECTOR_REQUIREMENT))
            .object(9, "labelSelector", message().string(1, "rawSelector")
                    .objects(2, "requirements", MetaV1.LABEL_SELECTOR_REQUIREMENT));

    static final Schema NON_RESOURCE_ATTRIBUTES = message().string(1, "path").string(2, "verb");

    static final Schema SUBJECT_ACCESS_REVIEW_STATUS = message()
            .bool(1, "*allowed").bool(4, "denied").string(2, "reason").string(3, "evaluationError");

    static final Schema SELF_SUBJECT_ACCESS_REVIEW = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().object(1, "resourceAttributes", RESOURCE_ATTRIBUTES)
                    .object(2, "nonResourceAttributes", NON_RESOURCE_ATTRIBUTES))
            .object(3, "status", SUBJECT_ACCESS_REVIEW_STATUS);

    /** Also the spec of LocalSubjectAccessReview. */
    static final Schema SUBJECT_ACCESS_REVIEW = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().object(1, "resourceAttributes", RESOURCE_ATTRIBUTES)
                    .object(2, "nonResourceAttributes", NON_RESOURCE_ATTRIBUTES).string(3, "user")
                    .strings(4, "groups").stringListMap(5, "extra").string(6, "uid"))
            .object(3, "status", SUBJECT_ACCESS_REVIEW_STATUS);

    static final Schema SELF_SUBJECT_RULES_REVIEW = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().string(1, "namespace"))
            .object(3, "status", message()
                    .objects(1, "resourceRules", message().strings(1, "verbs").strings(2, "apiGroups")
                            .strings(3, "resources").strings(4, "resourceNames"))
                    .objects(2, "nonResourceRules", message().strings(1, "verbs").strings(2, "nonResourceURLs"))
                    .bool(3, "*incomplete").string(4, "evaluationError"));

    static final Map<String, Schema> KINDS = Map.of(
            "SelfSubjectAccessReview", SELF_SUBJECT_ACCESS_REVIEW,
            "SelfSubjectRulesReview", SELF_SUBJECT_RULES_REVIEW,
            "SubjectAccessReview", SUBJECT_ACCESS_REVIEW,
            "LocalSubjectAccessReview", SUBJECT_ACCESS_REVIEW);

    private AuthorizationV1() {
    }
}
