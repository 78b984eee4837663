package io.k4j.apiserver.openapi;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.registry.ResourceDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code fieldValidation} query parameter of writes. Unknown fields (fields the kind's schema does not declare,
 * looked for everywhere except in free-form parts) are always dropped before the object is stored, as upstream
 * does for built-in kinds; duplicate fields in a JSON body keep their last value. {@code Strict} turns either
 * problem into a 400, {@code Warn} reports each in a {@code Warning} header, {@code Ignore} (the default when the
 * parameter is absent) says nothing.
 */
public final class FieldValidation {

    public enum Mode { IGNORE, WARN, STRICT }

    private static final JsonFactory JSON = new JsonFactory();

    private final OpenApiDocuments documents;

    public FieldValidation(OpenApiDocuments documents) {
        this.documents = documents;
    }

    /** What one write turned up: problems to answer with as warnings (Warn only; Strict throws). */
    public static final class Report {
        public static final Report NONE = new Report(List.of());
        private final List<String> warnings;

        private Report(List<String> warnings) {
            this.warnings = warnings;
        }

        public List<String> warnings() {
            return List.copyOf(warnings);
        }

        /** The {@code Warning} response header carrying every warning, or an empty map. */
        public Map<String, String> headers() {
            if (warnings.isEmpty()) {
                return Map.of();
            }
            StringBuilder header = new StringBuilder();
            for (String warning : warnings) {
                if (!header.isEmpty()) {
                    header.append(", ");
                }
                header.append("299 - \"").append(warning.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return Map.of("Warning", header.toString());
        }
    }

    public static Mode mode(ApiRequest request) {
        String value = request.param("fieldValidation");
        if (value == null || value.isEmpty()) {
            return Mode.IGNORE;
        }
        return switch (value) {
            case "Ignore" -> Mode.IGNORE;
            case "Warn" -> Mode.WARN;
            case "Strict" -> Mode.STRICT;
            default -> throw ApiException.badRequest("fieldValidation must be one of \"Ignore\", \"Warn\" or "
                    + "\"Strict\", not \"" + value + "\"");
        };
    }

    /**
     * Checks a write: duplicate fields in the request's body (when it is JSON), unknown fields in {@code object}
     * (the body, or the result of a patch), which loses them. Unknown fields that {@code before} (the stored object
     * a patch applied to, or null) already had are not reported again. Throws under Strict.
     */
    public Report check(ApiRequest request, ResourceDefinition definition, ObjectNode object, ObjectNode before) {
        Mode mode = mode(request);
        List<String> problems = new ArrayList<>();
        if (mode != Mode.IGNORE && isJson(request.header("content-type")) && request.body().length > 0) {
            duplicates(request.body()).forEach(path -> problems.add("duplicate field \"" + path + "\""));
        }
        Optional<OpenApiDocuments.KindSchema> schema = documents.kindSchema(definition);
        if (schema.isPresent()) {
            List<String> unknown = new ArrayList<>();
            prune(object, schema.get().root(), schema.get().components(), "", unknown, true);
            if (before != null && !unknown.isEmpty()) {
                List<String> old = new ArrayList<>();
                prune(before.deepCopy(), schema.get().root(), schema.get().components(), "", old, true);
                unknown.removeAll(old);
            }
            unknown.forEach(path -> problems.add("unknown field \"" + path + "\""));
        }
        if (problems.isEmpty() || mode == Mode.IGNORE) {
            return Report.NONE;
        }
        if (mode == Mode.STRICT) {
            throw ApiException.badRequest(definition.kind() + " in version \"" + definition.version()
                    + "\" cannot be handled as a " + definition.kind() + ": strict decoding error: "
                    + String.join(", ", problems));
        }
        return new Report(List.copyOf(problems));
    }

    /** JSON bodies, whose duplicate fields can be found: plain JSON, merge and strategic merge patches. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || type.equals("application/merge-patch+json")
                || type.equals("application/strategic-merge-patch+json") || type.equals("application/apply-patch+yaml");
    }

    /**
     * Removes from {@code value} the fields {@code schema} does not declare, adding their paths to {@code unknown}.
     * Free-form parts ({@code x-kubernetes-preserve-unknown-fields}) are left alone.
     */
    static void prune(JsonNode value, JsonNode schema, Function<String, JsonNode> components, String path,
                      List<String> unknown, boolean remove) {
        JsonNode resolved = resolve(schema, components);
        if (resolved == null || value == null || resolved.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value instanceof ObjectNode object) {
            JsonNode properties = resolved.get("properties");
            JsonNode additional = resolved.get("additionalProperties");
            if (properties == null && additional == null) {
                return;
            }
            List<String> drop = new ArrayList<>();
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                JsonNode fieldSchema = properties != null ? properties.get(entry.getKey()) : null;
                if (fieldSchema == null && additional != null && additional.isObject()) {
                    fieldSchema = additional;
                } else if (fieldSchema == null && additional != null && additional.asBoolean(false)) {
                    continue;
                }
                if (fieldSchema == null) {
                    unknown.add(child);
                    drop.add(entry.getKey());
                } else {
                    prune(entry.getValue(), fieldSchema, components, child, unknown, remove);
                }
            }
            if (remove) {
                drop.forEach(object::remove);
            }
        } else if (value.isArray()) {
            JsonNode items = resolved.get("items");
            if (items != null) {
                for (int i = 0; i < value.size(); i++) {
                    prune(value.get(i), items, components, path + "[" + i + "]", unknown, remove);
                }
            }
        }
    }

    private static JsonNode resolve(JsonNode schema, Function<String, JsonNode> components) {
        JsonNode current = schema;
        for (int hops = 0; current != null && current.has("$ref") && hops < 8; hops++) {
            String ref = current.get("$ref").asString();
            current = ref.startsWith(ModelSchemas.REF) ? components.apply(ref.substring(ModelSchemas.REF.length()))
                    : null;
        }
        if (current != null && !current.has("properties") && current.has("allOf") && current.get("allOf").size() == 1) {
            return resolve(current.get("allOf").get(0), components);
        }
        return current;
    }

    /** The paths of fields that occur twice in one JSON object of {@code json} ("metadata.name"). */
    public static List<String> duplicates(byte[] json) {
        List<String> found = new ArrayList<>();
        Deque<Set<String>> seen = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        Deque<int[]> indexes = new ArrayDeque<>();
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            JsonToken token;
            String pendingName = null;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    if (!seen.isEmpty() && !seen.peek().add(name)) {
                        found.add(join(names, indexes, name));
                    }
                    pendingName = name;
                    continue;
                }
                String segment = segment(seen, indexes, pendingName);
                pendingName = null;
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    names.push(segment);
                    if (token == JsonToken.START_OBJECT) {
                        seen.push(new HashSet<>());
                        indexes.push(new int[] {-1});
                    } else {
                        seen.push(ARRAY_MARK);
                        indexes.push(new int[] {0});
                    }
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    names.pop();
                    seen.pop();
                    indexes.pop();
                    advance(indexes);
                } else {
                    advance(indexes);
                }
            }
        } catch (RuntimeException e) {
            return found; // not JSON after all (YAML): no duplicate check
        }
        return found;
    }

    private static final Set<String> ARRAY_MARK = Set.of();

    /** The path segment of the value about to start: its field name, or "[i]" inside a list. */
    private static String segment(Deque<Set<String>> seen, Deque<int[]> indexes, String name) {
        if (seen.isEmpty()) {
            return "";
        }
        if (seen.peek() == ARRAY_MARK) {
            return "[" + indexes.peek()[0] + "]";
        }
        return name == null ? "" : name;
    }

    private static void advance(Deque<int[]> indexes) {
        if (!indexes.isEmpty() && indexes.peek()[0] >= 0) {
            indexes.peek()[0]++;
        }
    }

    private static String join(Deque<String> names, Deque<int[]> indexes, String last) {
        StringBuilder out = new StringBuilder();
        var it = names.descendingIterator();
        while (it.hasNext()) {
            String segment = it.next();
            if (segment.isEmpty()) {
                continue;
            }
            if (!segment.startsWith("[") && !out.isEmpty()) {
                out.append('.');
            }
            out.append(segment);
        }
        if (!out.isEmpty()) {
            out.append('.');
        }
        return out.append(last).toString();
    }
}
