package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.apply.FieldManager;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.storage.FieldOwner;
import io.k4j.apiserver.storage.ObjectMeta;
import io.k4j.apiserver.storage.ObjectStorage;
import java.time.InstantSource;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** PATCH with {@code application/apply-patch+yaml}: server-side apply, creating the object when it is missing. */
final class ServerSideApply {

    private ServerSideApply() {
    }

    static boolean isApply(ApiRequest request) {
        String contentType = request.header("content-type");
        return contentType != null && contentType.split(";")[0].trim().equalsIgnoreCase(Patches.APPLY_PATCH);
    }

    /** The request's field manager: the fieldManager parameter, else derived from the User-Agent as upstream. */
    static String fieldManager(ApiRequest request) {
        String manager = request.param("fieldManager");
        if (manager != null && !manager.isEmpty()) {
            return manager;
        }
        return FieldManager.managerFromUserAgent(request.header("user-agent"));
    }

    /** The owner of a non-apply write through {@code subresource} ("" for the main resource). */
    static FieldOwner updater(ApiRequest request, String subresource) {
        return FieldOwner.update(fieldManager(request), subresource);
    }

    /** Applies and answers: 200 with the object, or 201 when the apply created it. */
    static void handle(ApiRequest request, Exchange exchange, ObjectStorage storage, ResourcePath path,
                       String subresource, InstantSource clock) {
        ResourceDefinition definition = path.definition();
        String manager = requiredManager(request);
        boolean force = request.flag("force");
        boolean dryRun = ResourceEndpoint.dryRun(request);
        ObjectNode config = Json.parseObject(request.body());
        FieldOwner owner = FieldOwner.apply(manager, subresource);
        FieldManager fields = FieldManager.defaults();
        try {
            ObjectNode updated = storage.update(definition, path.namespace(), path.name(), subresource, owner,
                    live -> fields.apply(definition, subresource, live, config, manager, force, clock.instant()),
                    dryRun);
            respond(request, exchange, 200, definition, subresource, updated, storage, clock);
            return;
        } catch (ApiException e) {
            if (e.code() != 404 || !subresource.isEmpty()
                    || storage.find(definition, path.namespace(), path.name()).isPresent()) {
                throw e;
            }
        }
        ObjectNode object = fields.apply(definition, "", null, config, manager, force, clock.instant());
        ObjectNode metadata = Json.metadata(object);
        if (ObjectMeta.name(object).isEmpty()) {
            metadata.put("name", path.name());
        } else if (!ObjectMeta.name(object).equals(path.name())) {
            throw ApiException.badRequest("the name of the object (" + ObjectMeta.name(object)
                    + ") does not match the name on the URL (" + path.name() + ")");
        }
        metadata.remove("resourceVersion");
        ObjectNode created = storage.create(definition, path.namespace(), object, owner, dryRun);
        respond(request, exchange, 201, definition, subresource, created, storage, clock);
    }

    private static String requiredManager(ApiRequest request) {
        String manager = request.param("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", List.of(new ApiException.Cause(
                    "FieldValueRequired", "Required value: is required for apply patch", "fieldManager")));
        }
        return manager;
    }

    /**
     * Apply through the scale subresource: the applied Scale's spec.replicas is applied to the workload's
     * spec.replicas, owned with subresource "scale". Returns the updated workload.
     */
    static ObjectNode applyScale(ApiRequest request, ObjectStorage storage, ResourcePath path, InstantSource clock) {
        ResourceDefinition definition = path.definition();
        String manager = requiredManager(request);
        boolean force = request.flag("force");
        ObjectNode scale = Json.parseObject(request.body());
        ObjectNode config = Json.object();
        config.put("apiVersion", definition.apiVersion());
        config.put("kind", definition.kind());
        ObjectNode metadata = config.putObject("metadata");
        metadata.put("name", path.name());
        String wanted = ObjectMeta.resourceVersion(scale);
        if (!wanted.isEmpty()) {
            metadata.put("resourceVersion", wanted);
        }
        if (scale.path("spec").has("replicas")) {
            config.putObject("spec").set("replicas", scale.path("spec").get("replicas").deepCopy());
        }
        FieldManager fields = FieldManager.defaults();
        return storage.update(definition, path.namespace(), path.name(), "", FieldOwner.apply(manager, "scale"),
                live -> fields.apply(definition, "scale", live, config, manager, force, clock.instant()),
                ResourceEndpoint.dryRun(request));
    }

    private static void respond(ApiRequest request, Exchange exchange, int code, ResourceDefinition definition,
                                String subresource, ObjectNode object, ObjectStorage storage, InstantSource clock) {
        if (subresource.isEmpty()) {
            ResourceEndpoint.respondObject(request, exchange, code, definition, object, storage, clock,
                    java.util.Map.of());
        } else {
            Responses.json(exchange, code, object);
        }
    }
}
