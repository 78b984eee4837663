package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceStrategy;
import io.k4j.apiserver.table.Column;
import io.k4j.apiserver.table.TableConvertor;
import io.k4j.apiserver.table.TableConvertors;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code meta.k8s.io/v1 Table} responses, for clients that ask with {@code as=Table} (kubectl get). */
final class Tables {

    static final String CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private Tables() {
    }

    static boolean wanted(ApiRequest request) {
        String accept = request.header("accept");
        return accept != null && accept.replace(" ", "").contains("as=Table");
    }

    /**
     * A table of objects.
     *
     * @param includeObject "None", "Metadata" (the default) or "Object", as in the request
     */
    static ObjectNode table(ResourceDefinition definition, List<? extends JsonNode> objects, String resourceVersion,
                            String continueToken, String includeObject, boolean withColumns, Instant now) {
        return table(TableConvertors.forKind(definition.group(), definition.kind()), objects, resourceVersion,
                continueToken, includeObject, withColumns, now);
    }

    /** A table of objects with the given columns (a custom resource's printer columns). */
    static ObjectNode table(TableConvertor convertor, List<? extends JsonNode> objects, String resourceVersion,
                            String continueToken, String includeObject, boolean withColumns, Instant now) {
        ObjectNode table = Json.object();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null && !continueToken.isEmpty()) {
            metadata.put("continue", continueToken);
        }
        if (withColumns) {
            ArrayNode columns = table.putArray("columnDefinitions");
            for (Column column : convertor.columns()) {
                ObjectNode node = columns.addObject();
                node.put("name", column.name());
                node.put("type", column.type());
                node.put("format", column.format());
                node.put("description", column.description());
                node.put("priority", column.priority());
            }
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : convertor.cells((ObjectNode) object, now)) {
                addCell(cells, cell);
            }
            switch (includeObject == null ? "Metadata" : includeObject) {
                case "None" -> { }
                case "Object" -> row.set("object", object);
                default -> {
                    ObjectNode partial = row.putObject("object");
                    partial.put("kind", "PartialObjectMetadata");
                    partial.put("apiVersion", "meta.k8s.io/v1");
                    partial.set("metadata", object.path("metadata"));
                }
            }
        }
        return table;
    }

    /** The columns of a resource: its strategy's, or those of its kind. */
    static TableConvertor convertor(ResourceDefinition definition, ResourceStrategy strategy) {
        TableConvertor own = strategy.tableConvertor();
        return own != null ? own : TableConvertors.forKind(definition.group(), definition.kind());
    }

    private static void addCell(ArrayNode cells, Object cell) {
        switch (cell) {
            case null -> cells.addNull();
            case Integer i -> cells.add(i);
            case Long l -> cells.add(l);
            case Double d -> cells.add(d);
            case Boolean b -> cells.add(b);
            default -> cells.add(cell.toString());
        }
    }
}
