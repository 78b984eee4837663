package io.k4j.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** FieldsV1 as structured-merge-diff writes and reads it. */
class FieldSetTest {

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static FieldSet roundTrip(String text) {
        FieldSet set = FieldSet.fromJson(json(text));
        assertThat(Json.text(set.toJson())).isEqualTo(text);
        return set;
    }

    @Test
    void elementsOrderFieldsThenKeysThenValuesThenIndexes() {
        roundTrip("{\"f:a\":{},\"f:b\":{},\"k:{\\\"name\\\":\\\"x\\\"}\":{},"
                + "\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{},\"v:2\":{},\"v:10\":{},\"v:\\\"b\\\"\":{},"
                + "\"v:false\":{},\"v:true\":{},\"i:0\":{},\"i:7\":{}}");
    }

    @Test
    void ownedParentsCarryTheDotMarkerLast() {
        FieldSet set = roundTrip("{\"f:metadata\":{\"f:labels\":{\"f:app\":{},\".\":{}}},\"f:spec\":{\"f:template\":"
                + "{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\"f:image\":{},\"f:name\":{},"
                + "\".\":{}}}}}}}");
        PathElement containers = PathElement.field("containers");
        PathElement app = PathElement.key(Map.of("name", Json.NODES.stringNode("app")));
        List<PathElement> element = List.of(PathElement.field("spec"), PathElement.field("template"),
                PathElement.field("spec"), containers, app);
        assertThat(set.has(element)).isTrue();
        assertThat(set.has(List.of(PathElement.field("spec")))).isFalse();
        assertThat(set.has(List.of(PathElement.field("metadata"), PathElement.field("labels")))).isTrue();
        assertThat(set.paths()).hasSize(5);
    }

    @Test
    void keysAreWrittenSortedByFieldName() {
        Map<String, JsonNode> key = new LinkedHashMap<>();
        key.put("protocol", Json.NODES.stringNode("TCP"));
        key.put("containerPort", Json.NODES.numberNode(8080));
        PathElement element = PathElement.key(key);
        assertThat(element.serialize()).isEqualTo("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}");
        assertThat(PathElement.parse(element.serialize())).isEqualTo(element);
        assertThat(new PathElement.Value(Json.NODES.stringNode("a")).serialize()).isEqualTo("v:\"a\"");
        assertThat(new PathElement.Index(3).serialize()).isEqualTo("i:3");
    }

    @Test
    void pathsDisplayAsInConflictMessages() {
        List<PathElement> path = List.of(PathElement.field("spec"), PathElement.field("containers"),
                PathElement.key(Map.of("name", Json.NODES.stringNode("app"))), PathElement.field("image"));
        assertThat(FieldSet.display(path)).isEqualTo(".spec.containers[name=\"app\"].image");
        assertThat(FieldSet.display(List.of(PathElement.field("finalizers"),
                new PathElement.Value(Json.NODES.stringNode("x"))))).isEqualTo(".finalizers[=\"x\"]");
    }

    @Test
    void unknownElementTypesAreDroppedAndBadOnesRefused() {
        FieldSet set = FieldSet.fromJson(json("{\"f:a\":{},\"r:b\":{}}"));
        assertThat(Json.text(set.toJson())).isEqualTo("{\"f:a\":{}}");
        assertThatThrownBy(() -> FieldSet.fromJson(json("{\"a\":{}}"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldSet.fromJson(json("{\"f:a\":1}"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setOperations() {
        FieldSet a = FieldSet.fromJson(json("{\"f:spec\":{\"f:replicas\":{},\"f:paused\":{}}}"));
        FieldSet b = FieldSet.fromJson(json("{\"f:spec\":{\"f:replicas\":{}},\"f:data\":{}}"));
        assertThat(Json.text(a.intersection(b).toJson())).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(Json.text(a.difference(b).toJson())).isEqualTo("{\"f:spec\":{\"f:paused\":{}}}");
        assertThat(Json.text(a.union(b).toJson()))
                .isEqualTo("{\"f:data\":{},\"f:spec\":{\"f:paused\":{},\"f:replicas\":{}}}");
        assertThat(Json.text(a.withNamedFieldsAsMembers().toJson()))
                .isEqualTo("{\"f:spec\":{\"f:paused\":{},\"f:replicas\":{},\".\":{}}}");
        assertThat(b.withoutTree(List.of(PathElement.field("spec"))).paths()).hasSize(1);
    }
}
