package io.k4j.apiserver.endpoints;

import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.patch.StrategicMergePatch;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PATCH bodies: JSON patch (RFC 6902, by fabric8's zjsonpatch), JSON merge patch (RFC 7386) and strategic merge patch
 * for built-in kinds.
 */
final class Patches {

    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    static final String APPLY_PATCH = "application/apply-patch+yaml";

    private Patches() {
    }

    /**
     * Applies a patch of the given media type to a copy of {@code current}. Server-side apply bodies never come here:
     * {@link ServerSideApply} takes them first.
     */
    static ObjectNode apply(String contentType, byte[] body, ObjectNode current) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim();
        JsonNode patch = switch (type) {
            case JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH -> Json.parse(body);
            default -> throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                    + "format - accepted media types include: application/json-patch+json, "
                    + "application/merge-patch+json, application/apply-patch+yaml, "
                    + "application/strategic-merge-patch+json" + (type.isEmpty() ? "" : "; got " + type));
        };
        JsonNode result;
        if (type.equals(JSON_PATCH)) {
            if (!patch.isArray()) {
                throw ApiException.badRequest("a JSON patch must be an array of operations");
            }
            try {
                result = JsonPatch.apply(patch, current);
            } catch (JsonPatchException e) {
                throw new ApiException(422, "Invalid", "the JSON patch could not be applied: " + e.getMessage());
            }
        } else if (type.equals(STRATEGIC_MERGE_PATCH)) {
            result = StrategicMergePatch.apply(current, patch);
        } else {
            if (!patch.isObject()) {
                throw ApiException.badRequest("a merge patch must be a JSON object");
            }
            result = mergePatch(current.deepCopy(), patch);
        }
        if (!(result instanceof ObjectNode object)) {
            throw new ApiException(422, "Invalid", "the patch did not produce an object");
        }
        return object;
    }

    /** RFC 7386: objects merge key by key, null removes, everything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                result.set(entry.getKey(), mergePatch(result.get(entry.getKey()), entry.getValue()));
            }
        }
        return result;
    }
}
