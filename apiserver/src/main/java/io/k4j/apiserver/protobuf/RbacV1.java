package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** rbac.authorization.k8s.io/v1, field numbers from k8s.io/api/rbac/v1/generated.proto. */
final class RbacV1 {

    static final Schema POLICY_RULE = message()
            .strings(1, "verbs").strings(2, "apiGroups").strings(3, "resources").strings(4, "resourceNames")
            .strings(5, "nonResourceURLs");

    static final Schema SUBJECT = message()
            .string(1, "*kind").string(2, "apiGroup").string(3, "*name").string(4, "namespace");

    static final Schema ROLE_REF = message().string(1, "*apiGroup").string(2, "*kind").string(3, "*name");

    static final Schema ROLE = message()
            .object(1, "metadata", MetaV1.OBJECT_META).objects(2, "rules", POLICY_RULE);

    static final Schema CLUSTER_ROLE = message()
            .object(1, "metadata", MetaV1.OBJECT_META).objects(2, "rules", POLICY_RULE)
            .object(3, "aggregationRule", message().objects(1, "clusterRoleSelectors", MetaV1.LABEL_SELECTOR));

    /** RoleBinding and ClusterRoleBinding share their layout. */
    static final Schema BINDING = message()
            .object(1, "metadata", MetaV1.OBJECT_META).objects(2, "subjects", SUBJECT).object(3, "roleRef", ROLE_REF);

    static final Map<String, Schema> KINDS = Map.of(
            "Role", ROLE,
            "ClusterRole", CLUSTER_ROLE,
            "RoleBinding", BINDING,
            "ClusterRoleBinding", BINDING);

    private RbacV1() {
    }
}
