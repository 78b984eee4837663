package io.k4j.apiserver.table;

import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Objects from JSON text and rows at a fixed time. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    private Fixtures() {
    }

    static ObjectNode object(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The cells of an object of a kind at {@link #NOW}. */
    static List<Object> row(String group, String kind, String json) {
        return TableConvertors.forKind(group, kind).cells(object(json), NOW);
    }

    /** The headers kubectl would print: upper-cased names, with the priority of each. */
    static List<String> headers(String group, String kind) {
        return TableConvertors.forKind(group, kind).columns().stream()
                .map(c -> c.name().toUpperCase() + (c.priority() > 0 ? "*" : "")).toList();
    }
}
