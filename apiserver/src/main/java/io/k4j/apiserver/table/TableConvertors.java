package io.k4j.apiserver.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Placeholder until the per-kind columns land: NAME and AGE for everything. */
public final class TableConvertors {
    private TableConvertors() {
    }

    public static TableConvertor forKind(String group, String kind) {
        return new TableConvertor() {
            @Override
            public List<Column> columns() {
                return List.of(Column.nameColumn(), Column.ageColumn());
            }

            @Override
            public List<Object> cells(ObjectNode object, Instant now) {
                return List.of(object.path("metadata").path("name").asString(""), "0s");
            }
        };
    }
}
