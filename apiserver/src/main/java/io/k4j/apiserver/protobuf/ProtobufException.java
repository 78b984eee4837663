package io.k4j.apiserver.protobuf;

/** Malformed protobuf data; {@link KubernetesProtobuf} turns it into a 400. */
final class ProtobufException extends RuntimeException {

    ProtobufException(String message) {
        super(message);
    }
}
