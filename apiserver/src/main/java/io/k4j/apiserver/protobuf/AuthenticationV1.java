package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** authentication.k8s.io/v1, field numbers from k8s.io/api/authentication/v1/generated.proto. */
final class AuthenticationV1 {

    static final Schema USER_INFO = message()
            .string(1, "username").string(2, "uid").strings(3, "groups").stringListMap(4, "extra");

    static final Schema BOUND_OBJECT_REFERENCE = message()
            .string(1, "kind").string(2, "apiVersion").string(3, "name").string(4, "uid");

    /** Posted to serviceaccounts/NAME/token. */
    static final Schema TOKEN_REQUEST = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().strings(1, "audiences").int64(4, "*expirationSeconds")
                    .object(3, "boundObjectRef", BOUND_OBJECT_REFERENCE))
            .object(3, "status", message().string(1, "*token").time(2, "expirationTimestamp"));

    static final Schema SELF_SUBJECT_REVIEW = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "status", message().object(1, "userInfo", USER_INFO));

    static final Schema TOKEN_REVIEW = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().string(1, "token").strings(2, "audiences"))
            .object(3, "status", message().bool(1, "authenticated").object(2, "user", USER_INFO)
                    .strings(4, "audiences").string(3, "error"));

    static final Map<String, Schema> KINDS = Map.of(
            "TokenRequest", TOKEN_REQUEST,
            "SelfSubjectReview", SELF_SUBJECT_REVIEW,
            "TokenReview", TOKEN_REVIEW);

    private AuthenticationV1() {
    }
}
