package io.k4j.apiserver.api;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A failure answered to the client as a Kubernetes {@code Status}: the HTTP code, the upstream reason and a
 * message for people, plus optional details (the object's name, group, kind, and field causes for 422).
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One invalid field, as in {@code details.causes}. */
    public record Cause(String reason, String message, String field) {
        public static Cause required(String field) {
            return new Cause("FieldValueRequired", "Required value", field);
        }

        public static Cause invalid(String field, String value, String why) {
            return new Cause("FieldValueInvalid", "Invalid value: \"" + value + "\": " + why, field);
        }
    }

    private final int code;
    private final String reason;
    private final transient Details details;
    private final int retryAfterSeconds;

    /** What the Status names: the object and its kind, and the causes. */
    public record Details(String name, String group, String kind, List<Cause> causes) {
    }

    public ApiException(int code, String reason, String message, Details details, int retryAfterSeconds) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiException(int code, String reason, String message) {
        this(code, reason, message, null, 0);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The resource's name for messages: "pods", or "deployments.apps". */
    private static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    public static ApiException notFound(String group, String resource, String name) {
        return new ApiException(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
                new Details(name, group, resource, List.of()), 0);
    }

    public static ApiException alreadyExists(String group, String resource, String name) {
        return new ApiException(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
                new Details(name, group, resource, List.of()), 0);
    }

    public static ApiException conflict(String group, String resource, String name, String why) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource)
                + " \"" + name + "\": " + why, new Details(name, group, resource, List.of()), 0);
    }

    public static ApiException staleResourceVersion(String group, String resource, String name) {
        return conflict(group, resource, name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    public static ApiException invalid(String group, String kind, String name, List<Cause> causes) {
        StringBuilder message = new StringBuilder(qualified(group, kind)).append(" \"").append(name)
                .append("\" is invalid: ");
        for (int i = 0; i < causes.size(); i++) {
            if (i > 0) {
                message.append(", ");
            }
            message.append(causes.get(i).field()).append(": ").append(causes.get(i).message());
        }
        return new ApiException(422, "Invalid", message.toString(), new Details(name, group, kind, causes), 0);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "Forbidden", message);
    }

    /** A write refused by policy (upstream's admission.NewForbidden): `RESOURCE "NAME" is forbidden: WHY`. */
    public static ApiException forbidden(String group, String resource, String name, String why) {
        return new ApiException(403, "Forbidden", qualified(group, resource) + " \"" + name + "\" is forbidden: " + why,
                new Details(name, group, resource, List.of()), 0);
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message);
    }

    public static ApiException expired(String message) {
        return new ApiException(410, "Expired", message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "RequestEntityTooLarge", message);
    }

    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json, application/yaml" + (contentType == null ? "" : "; got " + contentType));
    }

    public static ApiException timeout(String message) {
        return new ApiException(504, "Timeout", message);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "ServiceUnavailable", message);
    }

    /** The {@code Status} object for this failure. */
    public ObjectNode toStatus() {
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", getMessage());
        status.put("reason", reason);
        if (details != null) {
            ObjectNode detailsNode = status.putObject("details");
            if (details.name() != null) {
                detailsNode.put("name", details.name());
            }
            if (details.group() != null && !details.group().isEmpty()) {
                detailsNode.put("group", details.group());
            }
            if (details.kind() != null) {
                detailsNode.put("kind", details.kind());
            }
            if (!details.causes().isEmpty()) {
                ArrayNode causes = detailsNode.putArray("causes");
                for (Cause cause : details.causes()) {
                    ObjectNode node = causes.addObject();
                    node.put("reason", cause.reason());
                    node.put("message", cause.message());
                    if (cause.field() != null) {
                        node.put("field", cause.field());
                    }
                }
            }
            if (retryAfterSeconds > 0) {
                detailsNode.put("retryAfterSeconds", retryAfterSeconds);
            }
        }
        status.put("code", code);
        return status;
    }

    /** A {@code Status} of success, as DELETE of a whole collection and some subresources answer. */
    public static ObjectNode success(String message) {
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        if (message != null) {
            status.put("message", message);
        }
        return status;
    }
}
