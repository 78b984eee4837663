package io.k4j.apiserver.openapi;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.registry.Subresource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v3 documents of the served API, one per group version, made from the registry: paths for every
 * resource and subresource with the verbs it serves, and the schemas of its kinds. Documents are made when first
 * asked for and kept until the registry (or the custom schemas) change, so each set of documents has its own hashes.
 */
public final class OpenApiDocuments {

    /** One group version's document: its index key ("api/v1", "apis/apps/v1"), JSON and hash. */
    public record Document(String key, byte[] json, String hash) {
        public String serverRelativeUrl() {
            return "/openapi/v3/" + key + "?hash=" + hash;
        }
    }

    /** The schema of one kind, with the lookup for the schemas it refers to. */
    public record KindSchema(JsonNode root, Function<String, JsonNode> components) {
    }

    private record Snapshot(Object key, Map<String, Document> documents, byte[] index) {
    }

    private final ResourceRegistry registry;
    private final CustomSchemas custom;
    private volatile Snapshot snapshot;
    /** Kind schemas of built-in kinds, which never change (validation asks on every write). */
    private final Map<ResourceDefinition, Optional<KindSchema>> modelSchemas =
            new java.util.concurrent.ConcurrentHashMap<>();

    public OpenApiDocuments(ResourceRegistry registry, CustomSchemas custom) {
        this.registry = registry;
        this.custom = custom;
    }

    /**
     * Makes the documents on a background thread: the first time in a JVM takes seconds (fabric8 loads its model
     * classes), which a client's first {@code kubectl apply} should not wait for.
     */
    public OpenApiDocuments warmUpInBackground() {
        Thread thread = new Thread(() -> {
            try {
                index();
            } catch (RuntimeException e) {
                // made again on request, where the failure is reported
            }
        }, "openapi-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return this;
    }

    /** {@code {"paths":{"api/v1":{"serverRelativeURL":...}}}} for the current registry. */
    public byte[] index() {
        return current().index();
    }

    /** The document for "api/v1" or "apis/GROUP/VERSION", if that group version is served. */
    public Optional<Document> document(String key) {
        return Optional.ofNullable(current().documents().get(key));
    }

    public Map<String, Document> documents() {
        return current().documents();
    }

    private Snapshot current() {
        List<ResourceDefinition> definitions = registry.all();
        Object key = List.of(definitions, custom.revision());
        Snapshot existing = snapshot;
        if (existing != null && existing.key().equals(key)) {
            return existing;
        }
        synchronized (this) {
            existing = snapshot;
            if (existing != null && existing.key().equals(key)) {
                return existing;
            }
            Snapshot built = build(key, definitions);
            snapshot = built;
            return built;
        }
    }

    private Snapshot build(Object key, List<ResourceDefinition> definitions) {
        Map<String, List<ResourceDefinition>> byGroupVersion = new LinkedHashMap<>();
        for (ResourceDefinition definition : definitions) {
            String gv = definition.group().isEmpty() ? "api/" + definition.version()
                    : "apis/" + definition.group() + "/" + definition.version();
            byGroupVersion.computeIfAbsent(gv, k -> new ArrayList<>()).add(definition);
        }
        Map<String, Document> documents = new LinkedHashMap<>();
        ObjectNode index = Json.object();
        ObjectNode paths = index.putObject("paths");
        for (Map.Entry<String, List<ResourceDefinition>> entry : byGroupVersion.entrySet()) {
            byte[] json = Json.bytes(groupVersionDocument(entry.getValue()));
            Document document = new Document(entry.getKey(), json, hash(json));
            documents.put(entry.getKey(), document);
            paths.putObject(entry.getKey()).put("serverRelativeURL", document.serverRelativeUrl());
        }
        return new Snapshot(key, Map.copyOf(documents), Json.bytes(index));
    }

    private static String hash(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(json);
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 64);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The schema of a kind for validating objects of {@code definition}, if it has one. */
    public Optional<KindSchema> kindSchema(ResourceDefinition definition) {
        Optional<ObjectNode> customSchema = custom.openApiSchema(definition);
        if (customSchema.isPresent()) {
            ObjectNode root = completeCustom(customSchema.get().deepCopy());
            ModelSchemas.define(io.fabric8.kubernetes.api.model.ObjectMeta.class);
            return Optional.of(new KindSchema(root, ModelSchemas::shared));
        }
        return modelSchemas.computeIfAbsent(definition, d -> ModelClasses.forKind(d.group(), d.version(), d.kind())
                .map(type -> new KindSchema(ModelSchemas.shared(ModelSchemas.define(type)), ModelSchemas::shared)));
    }

    /** A custom kind's schema with the fields every object has (as upstream adds them to CRD schemas). */
    private static ObjectNode completeCustom(ObjectNode schema) {
        if (!schema.has("type")) {
            schema.put("type", "object");
        }
        ObjectNode properties = Json.child(schema, "properties");
        if (!properties.has("apiVersion")) {
            properties.putObject("apiVersion").put("type", "string")
                    .put("description", Descriptions.field("apiVersion", ""));
        }
        if (!properties.has("kind")) {
            properties.putObject("kind").put("type", "string").put("description", Descriptions.field("kind", ""));
        }
        ObjectNode metadata = Json.object();
        metadata.put("$ref", ModelSchemas.REF + ModelSchemas.META + "ObjectMeta");
        metadata.put("description", Descriptions.field("metadata", ""));
        properties.set("metadata", metadata);
        return schema;
    }

    /** Upstream's schema name for a custom kind: the group reversed, the version, the kind. */
    static String customName(String group, String version, String kind) {
        List<String> parts = new ArrayList<>(List.of(group.split("\\.")));
        java.util.Collections.reverse(parts);
        return String.join(".", parts) + "." + version + "." + kind;
    }

    // ---- documents

    private ObjectNode groupVersionDocument(List<ResourceDefinition> definitions) {
        ResourceDefinition first = definitions.get(0);
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", "v1.32.0+k4j");
        ObjectNode paths = doc.putObject("paths");
        Map<String, ObjectNode> schemas = new TreeMap<>();
        Map<String, List<ObjectNode>> kindsOfSchema = new LinkedHashMap<>();
        Set<String> roots = new LinkedHashSet<>();
        for (String name : List.of("ObjectMeta", "Status", "DeleteOptions", "WatchEvent", "Patch")) {
            roots.add(ModelSchemas.META + name);
        }
        ModelSchemas.define(io.fabric8.kubernetes.api.model.Status.class);
        ModelSchemas.define(io.fabric8.kubernetes.api.model.DeleteOptions.class);
        ModelSchemas.define(io.fabric8.kubernetes.api.model.WatchEvent.class);
        ModelSchemas.define(io.fabric8.kubernetes.api.model.ObjectMeta.class);
        for (ResourceDefinition definition : definitions) {
            String kindName = kindSchemaName(definition, schemas, roots);
            String listName = listSchemaName(definition, kindName, schemas, roots);
            kindsOfSchema.computeIfAbsent(kindName, k -> new ArrayList<>())
                    .add(gvk(definition.group(), definition.version(), definition.kind()));
            kindsOfSchema.computeIfAbsent(listName, k -> new ArrayList<>())
                    .add(gvk(definition.group(), definition.version(), definition.listKind()));
            Map<String, String> subresourceSchemas = new LinkedHashMap<>();
            for (Subresource sub : definition.subresources()) {
                String subName = kindName;
                if (!sub.kind().equals(definition.kind()) || !sub.group().equals(definition.group())) {
                    Optional<Class<?>> type = ModelClasses.forKind(sub.group(), sub.version(), sub.kind());
                    subName = type.map(ModelSchemas::define).orElse(ModelSchemas.META + "Status");
                    roots.add(subName);
                    if (type.isPresent()) {
                        kindsOfSchema.computeIfAbsent(subName, k -> new ArrayList<>())
                                .add(gvk(sub.group(), sub.version(), sub.kind()));
                    }
                }
                subresourceSchemas.put(sub.name(), subName);
            }
            new Paths(paths, definition).add(kindName, listName, subresourceSchemas);
        }
        for (String name : ModelSchemas.closure(roots)) {
            if (!schemas.containsKey(name)) {
                ObjectNode schema = ModelSchemas.schema(name);
                if (schema != null) {
                    schemas.put(name, schema);
                }
            }
        }
        for (Map.Entry<String, List<ObjectNode>> entry : kindsOfSchema.entrySet()) {
            ObjectNode schema = schemas.get(entry.getKey());
            if (schema == null) {
                continue;
            }
            ArrayNode list = schema.putArray("x-kubernetes-group-version-kind");
            Set<String> seen = new LinkedHashSet<>();
            for (ObjectNode kind : entry.getValue()) {
                if (seen.add(kind.toString())) {
                    list.add(kind);
                }
            }
        }
        // shared kinds carry their own GVK wherever they appear, as upstream lists them
        addGvk(schemas, ModelSchemas.META + "Status", gvk("", "v1", "Status"));
        addGvk(schemas, ModelSchemas.META + "DeleteOptions", gvk(first.group(), first.version(), "DeleteOptions"));
        addGvk(schemas, ModelSchemas.META + "WatchEvent", gvk(first.group(), first.version(), "WatchEvent"));
        ObjectNode components = doc.putObject("components");
        ObjectNode out = components.putObject("schemas");
        schemas.forEach(out::set);
        return doc;
    }

    private static void addGvk(Map<String, ObjectNode> schemas, String name, ObjectNode gvk) {
        ObjectNode schema = schemas.get(name);
        if (schema != null && !schema.has("x-kubernetes-group-version-kind")) {
            schema.putArray("x-kubernetes-group-version-kind").add(gvk);
        }
    }

    private String kindSchemaName(ResourceDefinition definition, Map<String, ObjectNode> schemas, Set<String> roots) {
        Optional<ObjectNode> customSchema = custom.openApiSchema(definition);
        if (customSchema.isPresent() || ModelClasses.forKind(definition.group(), definition.version(),
                definition.kind()).isEmpty()) {
            String name = customName(definition.group(), definition.version(), definition.kind());
            ObjectNode schema = customSchema.map(s -> completeCustom(s.deepCopy()))
                    .orElseGet(() -> completeCustom(ModelSchemas.freeForm()));
            if (!schema.has("description")) {
                schema.put("description", Descriptions.type(definition.kind()));
            }
            schemas.put(name, schema);
            roots.add(name);
            return name;
        }
        String name = ModelSchemas.define(ModelClasses.forKind(definition.group(), definition.version(),
                definition.kind()).orElseThrow());
        roots.add(name);
        return name;
    }

    private static String listSchemaName(ResourceDefinition definition, String kindName,
                                         Map<String, ObjectNode> schemas, Set<String> roots) {
        Optional<Class<?>> listType = ModelClasses.forKind(definition.group(), definition.version(),
                definition.listKind());
        if (listType.isPresent() && !schemas.containsKey(kindName)) {
            String name = ModelSchemas.define(listType.get());
            roots.add(name);
            return name;
        }
        String name = kindName + "List";
        ObjectNode list = Json.object();
        list.put("description", "A list of " + definition.kind() + " objects.");
        list.putArray("required").add("items");
        list.put("type", "object");
        ObjectNode properties = list.putObject("properties");
        properties.putObject("apiVersion").put("type", "string").put("description", Descriptions.field("apiVersion", ""));
        ObjectNode items = properties.putObject("items");
        items.put("type", "array");
        items.put("description", "Items: a list of " + definition.kind() + " objects.");
        items.putObject("items").put("$ref", ModelSchemas.REF + kindName);
        properties.putObject("kind").put("type", "string").put("description", Descriptions.field("kind", ""));
        properties.putObject("metadata").put("$ref", ModelSchemas.REF + ModelSchemas.META + "ListMeta")
                .put("description", "Standard list metadata.");
        ModelSchemas.define(io.fabric8.kubernetes.api.model.ListMeta.class);
        roots.add(ModelSchemas.META + "ListMeta");
        schemas.put(name, list);
        return name;
    }

    static ObjectNode gvk(String group, String version, String kind) {
        ObjectNode node = Json.object();
        node.put("group", group);
        node.put("kind", kind);
        node.put("version", version);
        return node;
    }

    /** The paths and operations of one resource. */
    private static final class Paths {
        private static final String JSON = "application/json";
        private final ObjectNode paths;
        private final ResourceDefinition definition;
        private final String prefix;
        private final String idPrefix;

        Paths(ObjectNode paths, ResourceDefinition definition) {
            this.paths = paths;
            this.definition = definition;
            this.prefix = definition.group().isEmpty() ? "/api/" + definition.version()
                    : "/apis/" + definition.group() + "/" + definition.version();
            this.idPrefix = camelGroup(definition.group()) + capitalize(definition.version());
        }

        void add(String kindName, String listName, Map<String, String> subresourceSchemas) {
            List<String> verbs = definition.verbs();
            String plural = definition.plural();
            String scope = definition.namespaced() ? "Namespaced" : "";
            String collection = definition.namespaced() ? prefix + "/namespaces/{namespace}/" + plural
                    : prefix + "/" + plural;
            String item = collection + "/{name}";
            ObjectNode gvk = gvk(definition.group(), definition.version(), definition.kind());
            String kind = definition.kind();

            ObjectNode collectionPath = path(collection, false);
            if (verbs.contains("list")) {
                collectionPath.set("get", operation("list" + idPrefix + scope + kind, "list objects of kind " + kind,
                        "list", gvk, listParameters(), null, listName, "200", true));
            }
            if (verbs.contains("create")) {
                collectionPath.set("post", operation("create" + idPrefix + scope + kind, "create a " + kind, "post",
                        gvk, writeParameters(false), kindName, kindName, "201", false));
            }
            if (verbs.contains("deletecollection")) {
                List<ObjectNode> parameters = new ArrayList<>(deleteParameters());
                parameters.addAll(listParameters());
                collectionPath.set("delete", operation("deletecollection" + idPrefix + scope + kind,
                        "delete a collection of " + kind, "deletecollection", gvk, parameters,
                        ModelSchemas.META + "DeleteOptions", ModelSchemas.META + "Status", "200", false));
            }
            ObjectNode itemPath = path(item, true);
            if (verbs.contains("get")) {
                itemPath.set("get", operation("read" + idPrefix + scope + kind, "read the specified " + kind, "get",
                        gvk, List.of(), null, kindName, "200", false));
            }
            if (verbs.contains("update")) {
                itemPath.set("put", operation("replace" + idPrefix + scope + kind, "replace the specified " + kind,
                        "put", gvk, writeParameters(false), kindName, kindName, "200", false));
            }
            if (verbs.contains("patch")) {
                itemPath.set("patch", patchOperation("patch" + idPrefix + scope + kind,
                        "partially update the specified " + kind, gvk, kindName));
            }
            if (verbs.contains("delete")) {
                itemPath.set("delete", operation("delete" + idPrefix + scope + kind, "delete a " + kind, "delete",
                        gvk, deleteParameters(), ModelSchemas.META + "DeleteOptions", ModelSchemas.META + "Status",
                        "200", false));
            }
            if (definition.namespaced() && verbs.contains("list")) {
                path(prefix + "/" + plural, false).set("get", operation("list" + idPrefix + kind + "ForAllNamespaces",
                        "list objects of kind " + kind + " in all namespaces", "list", gvk, listParameters(), null,
                        listName, "200", true));
            }
            if (verbs.contains("watch")) {
                String watchCollection = collection.replace(prefix + "/", prefix + "/watch/");
                path(watchCollection, false).set("get", operation("watch" + idPrefix + scope + kind + "List",
                        "watch changes to a list of " + kind, "watchlist", gvk, listParameters(), null,
                        ModelSchemas.META + "WatchEvent", "200", true));
                path(watchCollection + "/{name}", true).set("get", operation("watch" + idPrefix + scope + kind,
                        "watch changes to an object of kind " + kind, "watch", gvk, listParameters(), null,
                        ModelSchemas.META + "WatchEvent", "200", true));
                if (definition.namespaced()) {
                    path(prefix + "/watch/" + plural, false).set("get", operation("watch" + idPrefix + kind
                            + "ListForAllNamespaces", "watch changes to a list of " + kind + " in all namespaces",
                            "watchlist", gvk, listParameters(), null, ModelSchemas.META + "WatchEvent", "200", true));
                }
            }
            for (Subresource sub : definition.subresources()) {
                String schema = subresourceSchemas.get(sub.name());
                ObjectNode subGvk = gvk(sub.group(), sub.version(), sub.kind());
                String id = idPrefix + scope + kind + capitalize(sub.name());
                ObjectNode subPath = path(item + "/" + sub.name(), true);
                if (sub.verbs().contains("get")) {
                    subPath.set("get", operation("read" + id, "read " + sub.name() + " of the specified " + kind,
                            "get", subGvk, List.of(), null, schema, "200", false));
                }
                if (sub.verbs().contains("update")) {
                    subPath.set("put", operation("replace" + id, "replace " + sub.name() + " of the specified "
                            + kind, "put", subGvk, writeParameters(false), schema, schema, "200", false));
                }
                if (sub.verbs().contains("patch")) {
                    subPath.set("patch", patchOperation("patch" + id, "partially update " + sub.name()
                            + " of the specified " + kind, subGvk, schema));
                }
                if (sub.verbs().contains("create")) {
                    subPath.set("post", operation("create" + id, "create " + sub.name() + " of a " + kind, "post",
                            subGvk, writeParameters(false), schema, schema, "201", false));
                }
            }
        }

        private ObjectNode path(String path, boolean named) {
            JsonNode existing = paths.get(path);
            if (existing instanceof ObjectNode node) {
                return node;
            }
            ObjectNode node = paths.putObject(path);
            ArrayNode parameters = node.putArray("parameters");
            if (named) {
                parameters.add(parameter("name", "path", "name of the " + definition.kind(), "string", true));
            }
            if (path.contains("{namespace}")) {
                parameters.add(parameter("namespace", "path", "object name and auth scope, such as for teams "
                        + "and projects", "string", true));
            }
            parameters.add(parameter("pretty", "query", "if 'true', the output is pretty printed", "string", false));
            return node;
        }

        private ObjectNode patchOperation(String id, String summary, ObjectNode gvk, String schema) {
            ObjectNode op = operation(id, summary, "patch", gvk, writeParameters(true), null, schema, "200", false);
            ObjectNode body = Json.object();
            body.put("required", true);
            ObjectNode content = body.putObject("content");
            List<String> types = new ArrayList<>(List.of("application/apply-patch+yaml", "application/json-patch+json",
                    "application/merge-patch+json"));
            if (isBuiltin(definition)) {
                types.add("application/strategic-merge-patch+json");
            }
            for (String type : types) {
                content.putObject(type).putObject("schema").put("$ref", ModelSchemas.REF + ModelSchemas.META + "Patch");
            }
            // requestBody goes before responses, as upstream orders it
            ObjectNode ordered = Json.object();
            op.properties().forEach(entry -> {
                if (entry.getKey().equals("responses")) {
                    ordered.set("requestBody", body);
                }
                ordered.set(entry.getKey(), entry.getValue());
            });
            return ordered;
        }

        private ObjectNode operation(String id, String summary, String action, ObjectNode gvk,
                                     List<ObjectNode> parameters, String requestSchema, String responseSchema,
                                     String code, boolean streaming) {
            ObjectNode op = Json.object();
            op.putArray("tags").add(tag(definition.group(), definition.version()));
            op.put("description", summary);
            op.put("operationId", id);
            if (!parameters.isEmpty()) {
                ArrayNode array = op.putArray("parameters");
                parameters.forEach(array::add);
            }
            if (requestSchema != null) {
                ObjectNode body = op.putObject("requestBody");
                ObjectNode content = body.putObject("content");
                content.putObject("*/*").putObject("schema").put("$ref", ModelSchemas.REF + requestSchema);
                body.put("required", !action.startsWith("delete"));
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject(code);
            ok.put("description", code.equals("201") ? "Created" : "OK");
            ObjectNode content = ok.putObject("content");
            List<String> types = streaming && action.startsWith("watch")
                    ? List.of("application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch",
                            JSON)
                    : List.of(JSON, "application/yaml", "application/vnd.kubernetes.protobuf");
            for (String type : types) {
                content.putObject(type).putObject("schema").put("$ref", ModelSchemas.REF + responseSchema);
            }
            if (code.equals("201") || action.equals("put") || action.equals("delete")) {
                ObjectNode second = responses.putObject(action.equals("delete") ? "202" : code.equals("201")
                        ? "200" : "201");
                second.put("description", action.equals("delete") ? "Accepted" : code.equals("201") ? "OK"
                        : "Created");
                second.putObject("content").putObject(JSON).putObject("schema")
                        .put("$ref", ModelSchemas.REF + responseSchema);
            }
            responses.putObject("401").put("description", "Unauthorized");
            op.put("x-kubernetes-action", action);
            op.set("x-kubernetes-group-version-kind", gvk.deepCopy());
            return op;
        }

        private static List<ObjectNode> listParameters() {
            return List.of(
                    parameter("allowWatchBookmarks", "query", "ask for BOOKMARK events on watches", "boolean", false),
                    parameter("continue", "query", "the continue token of the previous page", "string", false),
                    parameter("fieldSelector", "query", "restrict the objects by their fields", "string", false),
                    parameter("labelSelector", "query", "restrict the objects by their labels", "string", false),
                    parameter("limit", "query", "the most objects to return in one page", "integer", false),
                    parameter("resourceVersion", "query", "how fresh the answer must be", "string", false),
                    parameter("resourceVersionMatch", "query", "how resourceVersion applies: Exact or NotOlderThan",
                            "string", false),
                    parameter("sendInitialEvents", "query", "start a watch with the current objects", "boolean", false),
                    parameter("timeoutSeconds", "query", "how long the call may last", "integer", false),
                    parameter("watch", "query", "watch for changes instead of listing", "boolean", false));
        }

        private static List<ObjectNode> writeParameters(boolean patch) {
            List<ObjectNode> parameters = new ArrayList<>(List.of(
                    parameter("dryRun", "query", "when All, validate and answer but do not persist", "string", false),
                    parameter("fieldManager", "query", "the name of the actor making the change", "string", false),
                    parameter("fieldValidation", "query", "how to treat unknown and duplicate fields: Ignore, Warn "
                            + "or Strict", "string", false)));
            if (patch) {
                parameters.add(parameter("force", "query", "for apply patches: take over conflicting fields",
                        "boolean", false));
            }
            return parameters;
        }

        private static List<ObjectNode> deleteParameters() {
            return List.of(
                    parameter("dryRun", "query", "when All, validate and answer but do not persist", "string", false),
                    parameter("gracePeriodSeconds", "query", "seconds before the object is deleted", "integer", false),
                    parameter("propagationPolicy", "query", "how dependents are collected: Orphan, Background or "
                            + "Foreground", "string", false));
        }

        private static ObjectNode parameter(String name, String in, String description, String type,
                                            boolean required) {
            ObjectNode parameter = Json.object();
            parameter.put("name", name);
            parameter.put("in", in);
            parameter.put("description", description);
            if (required) {
                parameter.put("required", true);
            }
            parameter.putObject("schema").put("type", type).put("uniqueItems", true);
            return parameter;
        }
    }

    private static boolean isBuiltin(ResourceDefinition definition) {
        return ModelClasses.forKind(definition.group(), definition.version(), definition.kind()).isPresent();
    }

    private static String tag(String group, String version) {
        if (group.isEmpty()) {
            return "core_" + version;
        }
        String camel = camelGroup(group);
        return Character.toLowerCase(camel.charAt(0)) + camel.substring(1) + "_" + version;
    }

    /** "rbac.authorization.k8s.io" becomes "RbacAuthorization", "" becomes "Core". */
    private static String camelGroup(String group) {
        if (group.isEmpty()) {
            return "Core";
        }
        String trimmed = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        StringBuilder out = new StringBuilder();
        for (String part : trimmed.split("[.-]")) {
            out.append(capitalize(part));
        }
        return out.toString();
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
