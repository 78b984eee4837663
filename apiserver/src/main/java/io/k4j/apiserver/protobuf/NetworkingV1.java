package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** networking.k8s.io/v1 ingresses, field numbers from k8s.io/api/networking/v1/generated.proto. */
final class NetworkingV1 {

    static final Schema INGRESS_BACKEND = message()
            .object(4, "service", message().string(1, "name")
                    .object(2, "port", message().string(1, "name").int32(2, "number")))
            .object(3, "resource", CoreV1.TYPED_LOCAL_OBJECT_REFERENCE);

    static final Schema HTTP_INGRESS_PATH = message()
            .string(1, "path").string(3, "*pathType").object(2, "backend", INGRESS_BACKEND);

    static final Schema INGRESS_RULE = message()
            .string(1, "host")
            .inline(2, message().object(1, "http", message().objects(1, "paths", HTTP_INGRESS_PATH)));

    static final Schema INGRESS_LOAD_BALANCER_INGRESS = message()
            .string(1, "ip").string(2, "hostname").objects(4, "ports", CoreV1.PORT_STATUS);

    static final Schema INGRESS = message()
            .object(1, "metadata", MetaV1.OBJECT_META)
            .object(2, "spec", message().string(4, "*ingressClassName").object(1, "defaultBackend", INGRESS_BACKEND)
                    .objects(2, "tls", message().strings(1, "hosts").string(2, "secretName"))
                    .objects(3, "rules", INGRESS_RULE))
            .object(3, "status", message().object(1, "loadBalancer",
                    message().objects(1, "ingress", INGRESS_LOAD_BALANCER_INGRESS)));

    static final Map<String, Schema> KINDS = Map.of("Ingress", INGRESS);

    private NetworkingV1() {
    }
}
