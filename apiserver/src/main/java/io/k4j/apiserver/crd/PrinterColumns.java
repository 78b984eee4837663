package io.k4j.apiserver.crd;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.table.Ages;
import io.k4j.apiserver.table.Column;
import io.k4j.apiserver.table.TableConvertor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Table of a custom resource: Name, then the version's additionalPrinterColumns, or Age when it has none.
 * Cells follow the column type: integer, number, boolean, date (shown as an age) or string.
 */
final class PrinterColumns implements TableConvertor {

    private record Printed(Column column, String jsonPath) {
    }

    private final List<Printed> printed = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();

    PrinterColumns(JsonNode additionalPrinterColumns) {
        columns.add(Column.nameColumn());
        if (additionalPrinterColumns == null || !additionalPrinterColumns.isArray()
                || additionalPrinterColumns.isEmpty()) {
            printed.add(new Printed(new Column("Age", "date", "", Column.age().description(), 0),
                    ".metadata.creationTimestamp"));
        } else {
            for (JsonNode column : additionalPrinterColumns) {
                String jsonPath = column.path("jsonPath").asString("");
                String description = column.path("description").asString("");
                if (description.isEmpty()) {
                    description = "Custom resource definition column (in JSONPath format): " + jsonPath;
                }
                printed.add(new Printed(new Column(column.path("name").asString(""),
                        column.path("type").asString("string"), column.path("format").asString(""), description,
                        column.path("priority").asInt(0)), jsonPath));
            }
        }
        printed.forEach(p -> columns.add(p.column()));
    }

    @Override
    public List<Column> columns() {
        return List.copyOf(columns);
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        List<Object> cells = new ArrayList<>();
        cells.add(object.path("metadata").path("name").asString(""));
        for (Printed column : printed) {
            JsonNode value;
            try {
                value = JsonPaths.get(object, column.jsonPath());
            } catch (IllegalArgumentException e) {
                value = null;
            }
            cells.add(cell(column.column().type(), value, now));
        }
        return cells;
    }

    static Object cell(String type, JsonNode value, Instant now) {
        if (value == null || value.isNull()) {
            return null;
        }
        switch (type) {
            case "integer":
                if (value.isNumber()) {
                    return value.asLong();
                }
                break;
            case "number":
                if (value.isIntegralNumber()) {
                    return value.asLong();
                }
                if (value.isNumber()) {
                    return value.asDouble();
                }
                break;
            case "boolean":
                if (value.isBoolean()) {
                    return value.asBoolean();
                }
                break;
            case "date":
                if (value.isString()) {
                    return Ages.since(value.asString(), now);
                }
                break;
            default:
                break;
        }
        return value.isString() ? value.asString() : value.isValueNode() ? value.asString() : Json.text(value);
    }
}
