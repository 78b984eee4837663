package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/**
 * certificates.k8s.io/v1 (kubectl certificate approve/deny PUTs the whole request), field numbers from
 * k8s.io/api/certificates/v1/generated.proto.
 */
final class CertificatesV1 {

    static final Schema CONDITION = message()
            .string(1, "*type").string(6, "*status").string(2, "reason").string(3, "message")
            .time(4, "lastUpdateTime").time(5, "lastTransitionTime");

    static final Schema CERTIFICATE_SIGNING_REQUEST = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().bytes(1, "*request").string(7, "*signerName").int32(8, "*expirationSeconds")
                    .strings(5, "usages").string(2, "username").string(3, "uid").strings(4, "groups")
                    .stringListMap(6, "extra"))
            .object(3, "status", message().objects(1, "conditions", CONDITION).bytes(2, "certificate"));

    static final Map<String, Schema> KINDS = Map.of("CertificateSigningRequest", CERTIFICATE_SIGNING_REQUEST);

    private CertificatesV1() {
    }
}
