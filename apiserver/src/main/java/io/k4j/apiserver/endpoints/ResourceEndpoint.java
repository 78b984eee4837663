package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.openapi.FieldValidation;
import io.k4j.apiserver.proxy.PodStreams;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceStrategy;
import io.k4j.apiserver.selection.FieldLabels;
import io.k4j.apiserver.selection.FieldSelector;
import io.k4j.apiserver.selection.LabelSelector;
import io.k4j.apiserver.selection.Selector;
import io.k4j.apiserver.selection.Selectors;
import io.k4j.apiserver.storage.DeleteOptions;
import io.k4j.apiserver.storage.ObjectMeta;
import io.k4j.apiserver.storage.ObjectStorage;
import io.k4j.apiserver.watch.CachedObject;
import io.k4j.apiserver.watch.WatchCache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The verbs on resources: get, list, watch, create, update, patch, delete, deletecollection, and subresources. */
final class ResourceEndpoint {

    private final ObjectStorage storage;
    private final WatchCache cache;
    private final Lists lists;
    private final Subresources subresources;
    private final InstantSource clock;
    private final FieldValidation validation;

    ResourceEndpoint(ObjectStorage storage, WatchCache cache, InstantSource clock, FieldValidation validation,
                     PodStreams podStreams) {
        this.storage = storage;
        this.validation = validation;
        this.cache = cache;
        this.clock = clock;
        this.lists = new Lists(storage, cache);
        this.subresources = new Subresources(storage, podStreams);
    }

    private static final Set<String> STREAMING_UPGRADES = Set.of("exec", "attach", "portforward");

    /** The verb a request means, in upstream's words (for authorization and metrics). */
    static String verb(ApiRequest request, ResourcePath path) {
        if (request.method().equals("GET") && STREAMING_UPGRADES.contains(path.subresource())) {
            // Upstream (AuthorizePodWebsocketUpgradeCreatePermission): a WebSocket exec needs "create" like SPDY's POST.
            return "create";
        }
        return switch (request.method()) {
            case "GET", "HEAD" -> !path.name().isEmpty() ? "get" : request.flag("watch") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> path.name().isEmpty() ? "deletecollection" : "delete";
            default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested "
                    + "resource");
        };
    }

    void handle(ApiRequest request, Exchange exchange, ResourcePath path, String verb) {
        ResourceDefinition definition = path.definition();
        if (definition.namespaced() && path.namespace().isEmpty() && !path.name().isEmpty()) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        if (!path.subresource().isEmpty()) {
            subresources.handle(request, exchange, path, verb);
            return;
        }
        switch (verb) {
            case "get" -> respondObject(request, exchange, 200, definition,
                    storage.get(definition, path.namespace(), path.name()));
            case "list" -> list(request, exchange, path);
            case "watch" -> watch(request, exchange, path);
            case "create" -> create(request, exchange, path);
            case "update" -> update(request, exchange, path);
            case "patch" -> patch(request, exchange, path);
            case "delete" -> delete(request, exchange, path);
            case "deletecollection" -> deleteCollection(request, exchange, path);
            default -> throw ApiException.methodNotAllowed("unsupported verb " + verb);
        }
    }

    private void respondObject(ApiRequest request, Exchange exchange, int code, ResourceDefinition definition,
                               ObjectNode stored) {
        respondObject(request, exchange, code, definition, stored, storage, clock, java.util.Map.of());
    }

    /** Answers with one object as clients see it (read-time preparation applied), or as a one-row Table. */
    static void respondObject(ApiRequest request, Exchange exchange, int code, ResourceDefinition definition,
                              ObjectNode stored, ObjectStorage storage, InstantSource clock,
                              java.util.Map<String, String> headers) {
        ObjectNode object = storage.forClient(definition, stored);
        if (Tables.wanted(request)) {
            exchange.send(code, Tables.CONTENT_TYPE, Json.bytes(Tables.table(
                    Tables.convertor(definition, storage.strategy(definition)),
                    List.of(object), ObjectMeta.resourceVersion(object), null, request.param("includeObject"), true,
                    clock.instant())), headers);
        } else {
            exchange.send(code, Responses.JSON, Json.bytes(object), headers);
        }
    }

    private void list(ApiRequest request, Exchange exchange, ResourcePath path) {
        Lists.Page page = lists.list(request, path.definition(), path.namespace(), selector(request, path));
        ResourceStrategy strategy = storage.strategy(path.definition());
        List<CachedObject> items = !strategy.rewritesReads() ? page.items() : page.items().stream().map(cached -> {
            ObjectNode prepared = strategy.prepareForRead(cached.object());
            return prepared == null ? cached : new CachedObject(prepared);
        }).toList();
        if (Tables.wanted(request)) {
            List<ObjectNode> objects = items.stream().map(CachedObject::object).toList();
            Responses.json(exchange, 200, Tables.CONTENT_TYPE, Tables.table(
                    Tables.convertor(path.definition(), strategy), objects,
                    Long.toString(page.revision()), page.continueToken(), request.param("includeObject"), true,
                    clock.instant()));
            return;
        }
        ObjectNode metadata = Json.object();
        metadata.put("resourceVersion", Long.toString(page.revision()));
        if (page.continueToken() != null) {
            metadata.put("continue", page.continueToken());
            if (page.remaining() > 0) {
                metadata.put("remainingItemCount", page.remaining());
            }
        }
        exchange.send(200, Responses.JSON, listJson(path.definition(), metadata, items), java.util.Map.of());
    }

    /** A List whose items are the objects' cached JSON, joined (into one exactly sized array) rather than written again. */
    private static byte[] listJson(ResourceDefinition definition, ObjectNode metadata, List<CachedObject> items) {
        byte[] head = ("{\"kind\":\"" + definition.listKind() + "\",\"apiVersion\":\"" + definition.apiVersion()
                + "\",\"metadata\":" + Json.text(metadata) + ",\"items\":[").getBytes(StandardCharsets.UTF_8);
        byte[][] parts = new byte[items.size()][];
        int size = head.length + Math.max(0, items.size() - 1) + 2;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = items.get(i).json();
            size += parts[i].length;
        }
        byte[] out = new byte[size];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
        }
        out[at++] = ']';
        out[at] = '}';
        return out;
    }

    private Selector selector(ApiRequest request, ResourcePath path) {
        FieldLabels own = storage.strategy(path.definition()).fieldLabels();
        if (own != null) {
            String fields = request.param("fieldSelector");
            return new Selectors.Query(LabelSelector.parse(request.param("labelSelector")),
                    fields == null || fields.isEmpty() ? FieldSelector.everything() : FieldSelector.parse(fields, own))
                    .selector();
        }
        return Selectors.fromQuery(request.param("labelSelector"), request.param("fieldSelector"),
                path.definition().group(), path.definition().kind());
    }

    private void watch(ApiRequest request, Exchange exchange, ResourcePath path) {
        Selector selector = selector(request, path);
        String resourceVersion = request.param("resourceVersion", "");
        boolean initialEvents = request.flag("sendInitialEvents");
        long after;
        if (resourceVersion.isEmpty() || resourceVersion.equals("0") || initialEvents) {
            after = -1;
        } else {
            after = Lists.parseResourceVersion(resourceVersion);
        }
        long timeoutSeconds = request.param("timeoutSeconds") != null
                ? Math.max(1, parseLong(request.param("timeoutSeconds"), "timeoutSeconds"))
                : ThreadLocalRandom.current().nextLong(1800, 3600);
        ResourceStrategy strategy = storage.strategy(path.definition());
        WatchStreamer streamer = new WatchStreamer(new WatchStreamer.Options(path.definition(), Tables.wanted(request),
                request.param("includeObject"), request.flag("allowWatchBookmarks"), Duration.ofSeconds(timeoutSeconds),
                Tables.convertor(path.definition(), strategy), strategy.rewritesReads() ? strategy::prepareForRead : null),
                cache::currentRevision);
        Runnable unregister;
        ApiException refused = null;
        try {
            unregister = cache.watch(path.definition(), path.namespace(), selector, after, initialEvents,
                    streamer::offer);
        } catch (ApiException e) {
            refused = e;
            unregister = () -> { };
        }
        String contentType = Tables.wanted(request) ? Tables.CONTENT_TYPE : Responses.JSON;
        Exchange.Stream stream = request.webSocketUpgrade() ? exchange.upgradeToWebSocket(null)
                : exchange.stream(200, contentType);
        if (refused != null) {
            stream.write(WatchStreamer.errorEvent(refused));
            stream.close();
            return;
        }
        streamer.run(stream, unregister);
    }

    private void create(ApiRequest request, Exchange exchange, ResourcePath path) {
        ObjectNode body = Bodies.object(request);
        FieldValidation.Report report = validation.check(request, path.definition(), body, null);
        ObjectNode created = storage.create(path.definition(), path.namespace(), body,
                ServerSideApply.updater(request, ""), dryRun(request));
        respondObject(request, exchange, 201, path.definition(), created, storage, clock, report.headers());
    }

    private void update(ApiRequest request, Exchange exchange, ResourcePath path) {
        ObjectNode body = Bodies.object(request);
        FieldValidation.Report[] report = {FieldValidation.Report.NONE};
        ObjectNode updated = storage.update(path.definition(), path.namespace(), path.name(), "",
                ServerSideApply.updater(request, ""), current -> {
                    ObjectNode candidate = body.deepCopy(); // validation drops unknown fields; a retry starts over
                    report[0] = validation.check(request, path.definition(), candidate, current);
                    return candidate;
                }, dryRun(request));
        respondObject(request, exchange, 200, path.definition(), updated, storage, clock, report[0].headers());
    }

    private void patch(ApiRequest request, Exchange exchange, ResourcePath path) {
        if (ServerSideApply.isApply(request)) {
            ServerSideApply.handle(request, exchange, storage, path, "", clock);
            return;
        }
        refuseStrategicMergePatch(request, storage.strategy(path.definition()));
        FieldValidation.Report[] report = {FieldValidation.Report.NONE};
        ObjectNode updated = storage.update(path.definition(), path.namespace(), path.name(), "",
                ServerSideApply.updater(request, ""), current -> {
                    ObjectNode patched = Patches.apply(request.header("content-type"), request.body(), current);
                    report[0] = validation.check(request, path.definition(), patched, current);
                    return patched;
                }, dryRun(request));
        respondObject(request, exchange, 200, path.definition(), updated, storage, clock, report[0].headers());
    }

    /** 415 for a strategic merge patch of a resource without a Go-like schema to merge by (custom resources). */
    static void refuseStrategicMergePatch(ApiRequest request, ResourceStrategy strategy) {
        String type = request.header("content-type");
        if (!strategy.supportsStrategicMergePatch() && type != null
                && type.split(";")[0].trim().equals(Patches.STRATEGIC_MERGE_PATCH)) {
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                    + "application/apply-patch+yaml");
        }
    }

    private void delete(ApiRequest request, Exchange exchange, ResourcePath path) {
        ObjectNode deleted = storage.delete(path.definition(), path.namespace(), path.name(), deleteOptions(request));
        respondObject(request, exchange, 200, path.definition(), deleted);
    }

    private void deleteCollection(ApiRequest request, Exchange exchange, ResourcePath path) {
        DeleteOptions options = deleteOptions(request);
        List<JsonNode> deleted = new ArrayList<>();
        for (CachedObject cached : cache.list(path.definition(), path.namespace(), selector(request, path)).items()) {
            ObjectNode object = cached.object();
            try {
                deleted.add(storage.delete(path.definition(), ObjectMeta.namespace(object), ObjectMeta.name(object),
                        options));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        ObjectNode list = Json.object();
        list.put("kind", path.definition().listKind());
        list.put("apiVersion", path.definition().apiVersion());
        list.putObject("metadata").put("resourceVersion", Long.toString(cache.currentRevision()));
        ArrayNode items = list.putArray("items");
        deleted.forEach(items::add);
        Responses.json(exchange, 200, list);
    }

    private static long parseLong(String text, String parameter) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid " + parameter + ": \"" + text + "\"");
        }
    }

    static boolean dryRun(ApiRequest request) {
        List<String> values = request.query().get("dryRun");
        if (values == null || values.isEmpty()) {
            return false;
        }
        for (String value : values) {
            if (!value.equals("All")) {
                throw ApiException.badRequest("Invalid dryRun value: " + value + "; the only supported value is All");
            }
        }
        return true;
    }

    /** DeleteOptions from the body (kubectl, fabric8) or the query (Python, curl). */
    private static DeleteOptions deleteOptions(ApiRequest request) {
        JsonNode body = request.body().length == 0 ? Json.object()
                : request.header("content-type") == null ? Json.parse(request.body()) : Bodies.object(request);
        Long grace = null;
        if (body.has("gracePeriodSeconds")) {
            grace = body.get("gracePeriodSeconds").asLong();
        } else if (request.param("gracePeriodSeconds") != null) {
            grace = parseLong(request.param("gracePeriodSeconds"), "gracePeriodSeconds");
        }
        String propagation = body.path("propagationPolicy").asString(request.param("propagationPolicy"));
        if (propagation != null && propagation.isEmpty()) {
            propagation = null;
        }
        if (body.path("orphanDependents").isBoolean()) {
            if (propagation != null) {
                throw ApiException.invalid("", "DeleteOptions", "", List.of(ApiException.Cause.invalid(
                        "propagationPolicy", propagation, "orphanDependents and deletionPropagation cannot be both set")));
            }
            propagation = body.path("orphanDependents").asBoolean() ? "Orphan" : "Background";
        }
        if (propagation != null && !List.of("Orphan", "Background", "Foreground").contains(propagation)) {
            throw ApiException.invalid("", "DeleteOptions", "", List.of(new ApiException.Cause("FieldValueNotSupported",
                    "Unsupported value: \"" + propagation + "\": supported values: \"Foreground\", \"Background\", "
                            + "\"Orphan\"", "propagationPolicy")));
        }
        boolean dryRun = dryRun(request) || body.path("dryRun").isArray() && !body.path("dryRun").isEmpty();
        return new DeleteOptions(grace, body.path("preconditions").path("uid").asString(null),
                body.path("preconditions").path("resourceVersion").asString(null), propagation, dryRun);
    }
}
