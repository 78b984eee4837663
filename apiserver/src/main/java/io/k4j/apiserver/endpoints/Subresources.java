package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.proxy.PodStreams;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceStrategy;
import io.k4j.apiserver.selection.LabelSelector;
import io.k4j.apiserver.storage.ObjectMeta;
import io.k4j.apiserver.storage.ObjectStorage;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** status, scale (autoscaling/v1 Scale), pods/binding, pods/eviction and namespaces/finalize. */
final class Subresources {

    private final ObjectStorage storage;
    private final PodEvictions evictions;
    private final PodStreams podStreams;

    /** {@code podStreams}: null when the server has no way to reach kubelets (logs and exec then answer 503). */
    Subresources(ObjectStorage storage, PodStreams podStreams) {
        this.storage = storage;
        this.evictions = new PodEvictions(storage, java.time.InstantSource.system());
        this.podStreams = podStreams;
    }

    void handle(ApiRequest request, Exchange exchange, ResourcePath path, String verb) {
        switch (path.subresource()) {
            case "status" -> status(request, exchange, path, verb);
            case "scale" -> scale(request, exchange, path, verb);
            case "binding" -> bind(request, exchange, path, verb);
            case "eviction" -> evict(request, exchange, path, verb);
            case "finalize" -> finalizeNamespace(request, exchange, path, verb);
            case "log", "exec", "attach", "portforward" -> {
                if (podStreams == null) {
                    throw ApiException.unavailable("this server cannot reach kubelets");
                }
                podStreams.handle(request, exchange, path.definition(), path.namespace(), path.name(),
                        path.subresource());
            }
            default -> throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
    }

    private void status(ApiRequest request, Exchange exchange, ResourcePath path, String verb) {
        ResourceDefinition definition = path.definition();
        if (verb.equals("patch") && ServerSideApply.isApply(request)) {
            ServerSideApply.handle(request, exchange, storage, path, "status", java.time.InstantSource.system());
            return;
        }
        ObjectNode result = switch (verb) {
            case "get" -> storage.get(definition, path.namespace(), path.name());
            case "update" -> {
                ObjectNode body = Bodies.object(request);
                yield storage.update(definition, path.namespace(), path.name(), "status",
                        ServerSideApply.updater(request, "status"), current -> body, ResourceEndpoint.dryRun(request));
            }
            case "patch" -> {
                ResourceEndpoint.refuseStrategicMergePatch(request, storage.strategy(definition));
                yield storage.update(definition, path.namespace(), path.name(), "status",
                        ServerSideApply.updater(request, "status"),
                        current -> Patches.apply(request.header("content-type"), request.body(), current),
                        ResourceEndpoint.dryRun(request));
            }
            default -> throw ApiException.methodNotAllowed(verb + " is not allowed on " + definition.plural() + "/status");
        };
        Responses.json(exchange, 200, storage.forClient(definition, result));
    }

    private void scale(ApiRequest request, Exchange exchange, ResourcePath path, String verb) {
        ResourceDefinition definition = path.definition();
        ResourceStrategy.ScalePaths paths = storage.strategy(definition).scalePaths();
        if (verb.equals("patch") && ServerSideApply.isApply(request)) {
            Responses.json(exchange, 200, toScale(ServerSideApply.applyScale(request, storage, path,
                    java.time.InstantSource.system()), paths));
            return;
        }
        ObjectNode result = switch (verb) {
            case "get" -> toScale(storage.get(definition, path.namespace(), path.name()), paths);
            case "update", "patch" -> {
                ObjectNode updated = storage.update(definition, path.namespace(), path.name(), "",
                        ServerSideApply.updater(request, "scale"), current -> {
                    ObjectNode currentScale = toScale(current, paths);
                    ObjectNode wanted = verb.equals("update") ? Bodies.object(request)
                            : Patches.apply(request.header("content-type"), request.body(), currentScale);
                    JsonNode replicas = wanted.path("spec").path("replicas");
                    if (!replicas.isNumber() || replicas.asInt() < 0) {
                        throw ApiException.invalid("autoscaling", "Scale", path.name(), java.util.List.of(
                                ApiException.Cause.invalid("spec.replicas", replicas.asString(""),
                                        "must be greater than or equal to 0")));
                    }
                    if (paths == null) {
                        Json.child(current, "spec").put("replicas", replicas.asInt());
                    } else {
                        io.k4j.apiserver.crd.JsonPaths.set(current, paths.specReplicas(), Json.NODES.numberNode(
                                replicas.asInt()));
                    }
                    String wantedVersion = ObjectMeta.resourceVersion(wanted);
                    Json.metadata(current).put("resourceVersion", wantedVersion);
                    return current;
                }, ResourceEndpoint.dryRun(request));
                yield toScale(updated, paths);
            }
            default -> throw ApiException.methodNotAllowed(verb + " is not allowed on " + definition.plural() + "/scale");
        };
        Responses.json(exchange, 200, result);
    }

    /** The autoscaling/v1 Scale view of a workload, whose replicas are where {@code paths} say (null: built-in). */
    static ObjectNode toScale(ObjectNode workload, ResourceStrategy.ScalePaths paths) {
        if (paths == null) {
            return toScale(workload);
        }
        ObjectNode scale = toScale(workload);
        JsonNode specReplicas = io.k4j.apiserver.crd.JsonPaths.get(workload, paths.specReplicas());
        scale.putObject("spec").put("replicas", specReplicas == null ? 0 : specReplicas.asInt(0));
        ObjectNode status = scale.putObject("status");
        JsonNode statusReplicas = paths.statusReplicas() == null ? null
                : io.k4j.apiserver.crd.JsonPaths.get(workload, paths.statusReplicas());
        status.put("replicas", statusReplicas == null ? 0 : statusReplicas.asInt(0));
        JsonNode selector = paths.labelSelector() == null ? null
                : io.k4j.apiserver.crd.JsonPaths.get(workload, paths.labelSelector());
        if (selector != null && selector.isString() && !selector.asString().isEmpty()) {
            status.put("selector", selector.asString());
        }
        return scale;
    }

    /** The autoscaling/v1 Scale view of a workload. */
    static ObjectNode toScale(ObjectNode workload) {
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = workload.path("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (source.has(field)) {
                metadata.set(field, source.get(field).deepCopy());
            }
        }
        scale.putObject("spec").put("replicas", workload.path("spec").path("replicas").asInt(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", workload.path("status").path("replicas").asInt(0));
        String selector = selectorText(workload.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    /**
     * A workload's selector as label-selector text, in upstream's canonical form: structured selectors
     * (matchLabels, matchExpressions) and the plain maps of ReplicationControllers alike.
     */
    static String selectorText(JsonNode selector) {
        if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
            return "";
        }
        if (selector.has("matchLabels") || selector.has("matchExpressions")) {
            return LabelSelector.fromLabelSelectorObject(selector).toString();
        }
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        selector.properties().forEach(entry -> labels.put(entry.getKey(), entry.getValue().asString("")));
        return LabelSelector.fromMap(labels).toString();
    }

    /** POST pods/NAME/binding: assigns the pod to a node, once, with the binding's annotations. */
    private void bind(ApiRequest request, Exchange exchange, ResourcePath path, String verb) {
        if (!verb.equals("create")) {
            throw ApiException.methodNotAllowed(verb + " is not allowed on pods/binding");
        }
        ObjectNode binding = Bodies.object(request);
        String node = binding.path("target").path("name").asString("");
        if (node.isEmpty()) {
            throw ApiException.invalid("", "Binding", path.name(),
                    java.util.List.of(ApiException.Cause.required("target.name")));
        }
        storage.update(path.definition(), path.namespace(), path.name(), "binding", pod -> {
            String current = pod.path("spec").path("nodeName").asString("");
            if (!current.isEmpty()) {
                throw ApiException.conflict("", "pods", path.name(), "pod " + path.name()
                        + " is already assigned to node \"" + current + "\"");
            }
            if (ObjectMeta.isDeleting(pod)) {
                throw ApiException.conflict("", "pods", path.name(), "pod " + path.name() + " is being deleted");
            }
            Json.child(pod, "spec").put("nodeName", node);
            // As upstream: the binding's annotations are copied onto the pod (the scheduler records why it chose).
            if (binding.path("metadata").path("annotations") instanceof ObjectNode annotations && !annotations.isEmpty()) {
                ObjectNode podAnnotations = Json.child(Json.child(pod, "metadata"), "annotations");
                annotations.properties().forEach(entry -> podAnnotations.set(entry.getKey(), entry.getValue().deepCopy()));
            }
            return pod;
        }, ResourceEndpoint.dryRun(request));
        Responses.json(exchange, 201, ApiException.success(null));
    }

    /**
     * POST pods/NAME/eviction (policy/v1 Eviction): deletes the pod with the eviction's delete options if its
     * PodDisruptionBudget allows (see {@link PodEvictions}).
     */
    private void evict(ApiRequest request, Exchange exchange, ResourcePath path, String verb) {
        if (!verb.equals("create")) {
            throw ApiException.methodNotAllowed(verb + " is not allowed on pods/eviction");
        }
        ObjectNode eviction = Bodies.object(request);
        String name = eviction.path("metadata").path("name").asString("");
        if (!name.isEmpty() && !name.equals(path.name())) {
            throw ApiException.badRequest("name in URL does not match name in Eviction object");
        }
        JsonNode options = eviction.path("deleteOptions");
        Long grace = options.path("gracePeriodSeconds").isNumber() ? options.path("gracePeriodSeconds").asLong() : null;
        String propagation = options.path("propagationPolicy").asString(null);
        boolean dryRun = ResourceEndpoint.dryRun(request)
                || options.path("dryRun").isArray() && !options.path("dryRun").isEmpty();
        evictions.evict(path.definition(), path.namespace(), path.name(), new io.k4j.apiserver.storage.DeleteOptions(
                grace, options.path("preconditions").path("uid").asString(null),
                options.path("preconditions").path("resourceVersion").asString(null), propagation, dryRun));
        ObjectNode status = ApiException.success(null);
        status.put("code", 201);
        Responses.json(exchange, 201, status);
    }

    /** PUT namespaces/NAME/finalize: replaces spec.finalizers, which lets a terminating namespace go. */
    private void finalizeNamespace(ApiRequest request, Exchange exchange, ResourcePath path, String verb) {
        if (!verb.equals("update")) {
            throw ApiException.methodNotAllowed(verb + " is not allowed on namespaces/finalize");
        }
        ObjectNode body = Bodies.object(request);
        ObjectNode updated = storage.update(path.definition(), "", path.name(), "finalize", namespace -> {
            JsonNode finalizers = body.path("spec").path("finalizers");
            ObjectNode spec = Json.child(namespace, "spec");
            if (finalizers.isArray()) {
                spec.set("finalizers", finalizers.deepCopy());
            } else {
                spec.remove("finalizers");
            }
            return namespace;
        }, ResourceEndpoint.dryRun(request));
        Responses.json(exchange, 200, updated);
    }
}
