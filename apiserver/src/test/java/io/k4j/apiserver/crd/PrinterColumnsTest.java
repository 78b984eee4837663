package io.k4j.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.table.Column;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PrinterColumnsTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final Instant NOW = Instant.parse("2026-11-26T12:10:00Z");

    @Test
    void withoutColumnsNameAndAge() {
        PrinterColumns columns = new PrinterColumns(null);
        assertThat(columns.columns()).extracting(Column::name, Column::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Name", "string"),
                        org.assertj.core.groups.Tuple.tuple("Age", "date"));
        assertThat(columns.cells(json("{\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2026-11-26T12:00:00Z\"}}"),
                NOW)).containsExactly("a", "10m");
    }

    @Test
    void cellsFollowTheColumnTypes() {
        PrinterColumns columns = new PrinterColumns(json("""
                {"c":[{"name":"Int","type":"integer","jsonPath":".spec.i"},
                      {"name":"Num","type":"number","jsonPath":".spec.n","priority":1,"description":"d"},
                      {"name":"Bool","type":"boolean","jsonPath":".spec.b"},
                      {"name":"When","type":"date","jsonPath":".status.at"},
                      {"name":"List","type":"string","jsonPath":".spec.list"},
                      {"name":"Missing","type":"string","jsonPath":".spec.nothing"}]}""").path("c"));
        assertThat(columns.columns()).extracting(Column::name).containsExactly("Name", "Int", "Num", "Bool", "When",
                "List", "Missing");
        assertThat(columns.columns().get(2).priority()).isEqualTo(1);
        assertThat(columns.columns().get(1).description())
                .isEqualTo("Custom resource definition column (in JSONPath format): .spec.i");
        assertThat(columns.cells(json("""
                {"metadata":{"name":"x"},"spec":{"i":3,"n":1.5,"b":true,"list":["a","b"]},
                 "status":{"at":"2026-11-26T10:10:00Z"}}"""), NOW))
                .containsExactly("x", 3L, 1.5, true, "120m", "[\"a\",\"b\"]", null);
    }
}
