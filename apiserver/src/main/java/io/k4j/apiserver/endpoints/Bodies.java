package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.ApiRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies of writes: JSON, YAML, or Kubernetes protobuf (kubectl's generators send it); anything else 415. A
 * body without a Content-Type is read as JSON, as upstream does (kubectl create --raw sends none).
 */
final class Bodies {

    private Bodies() {
    }

    static ObjectNode object(ApiRequest request) {
        String contentType = request.header("content-type");
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (io.k4j.apiserver.protobuf.KubernetesProtobuf.isProtobuf(contentType)) {
            return io.k4j.apiserver.protobuf.KubernetesProtobuf.decode(request.body());
        }
        if (!type.isEmpty() && !type.equals("application/json") && !type.equals("application/yaml")
                && !type.equals("text/yaml") && !type.equals("application/x-yaml")) {
            throw ApiException.unsupportedMediaType(contentType);
        }
        return Json.parseObject(request.body());
    }
}
