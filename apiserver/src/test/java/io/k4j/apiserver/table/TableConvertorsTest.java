package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Fixtures.NOW;
import static io.k4j.apiserver.table.Fixtures.headers;
import static io.k4j.apiserver.table.Fixtures.object;
import static io.k4j.apiserver.table.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableConvertorsTest {

    @Test
    void builtInKindsWithoutAPrinterShowCreatedAt() {
        for (String[] kind : new String[][] {{"", "LimitRange"}, {"rbac.authorization.k8s.io", "Role"},
                {"rbac.authorization.k8s.io", "ClusterRole"}, {"apiextensions.k8s.io", "CustomResourceDefinition"}}) {
            assertThat(TableConvertors.forKind(kind[0], kind[1])).isSameAs(TableConvertors.CREATED_AT);
        }
        assertThat(headers("rbac.authorization.k8s.io", "Role")).containsExactly("NAME", "CREATED AT");
        assertThat(TableConvertors.CREATED_AT.columns().get(1).type()).isEqualTo("date");
        assertThat(row("", "LimitRange", """
                {"metadata":{"name":"limits","creationTimestamp":"2024-06-30T08:15:00Z"}}"""))
                .containsExactly("limits", "2024-06-30T08:15:00Z");
        assertThat(row("", "LimitRange", "{\"metadata\":{\"name\":\"limits\"}}"))
                .containsExactly("limits", "0001-01-01T00:00:00Z");
    }

    @Test
    void customResourcesShowNameAndAge() {
        assertThat(TableConvertors.forKind("example.com", "Widget")).isSameAs(TableConvertors.AGE);
        assertThat(TableConvertors.forKind("gateway.networking.k8s.io", "Gateway")).isSameAs(TableConvertors.AGE);
        assertThat(row("example.com", "Widget", """
                {"metadata":{"name":"w","creationTimestamp":"2024-12-29T12:00:00Z"}}"""))
                .containsExactly("w", "3d");
    }

    @Test
    void theGroupOfAKindMatters() {
        assertThat(TableConvertors.forKind("", "Event")).isSameAs(EventTables.CORE);
        assertThat(TableConvertors.forKind("events.k8s.io", "Event")).isSameAs(EventTables.EVENTS);
        assertThat(TableConvertors.forKind(null, "Pod")).isSameAs(PodTable.INSTANCE);
        assertThat(TableConvertors.forKind("example.com", "Pod")).isSameAs(TableConvertors.AGE);
    }

    @Test
    void everyConvertorFillsEveryColumnEvenForAnEmptyObject() {
        for (String key : TableConvertors.kinds()) {
            String group = key.substring(0, key.indexOf('/'));
            TableConvertor convertor = TableConvertors.forKind(group, key.substring(key.indexOf('/') + 1));
            for (String json : List.of("{}", "{\"metadata\":{\"name\":\"n\"},\"spec\":null,\"status\":{}}")) {
                List<Object> cells = convertor.cells(object(json), NOW);
                assertThat(cells).as(key).hasSameSizeAs(convertor.columns()).doesNotContainNull();
            }
            assertThat(convertor.columns().get(0).name()).as(key).isIn("Name", "Last Seen");
        }
    }
}
