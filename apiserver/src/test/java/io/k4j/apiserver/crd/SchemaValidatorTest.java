package io.k4j.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class SchemaValidatorTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final SchemaValidator SCHEMA = new SchemaValidator(json("""
            {"type":"object","properties":{
              "spec":{"type":"object","required":["name"],"properties":{
                "name":{"type":"string","minLength":2,"maxLength":5,"pattern":"^[a-z]+$"},
                "replicas":{"type":"integer","minimum":1,"maximum":10,"default":1},
                "ratio":{"type":"number","exclusiveMinimum":true,"minimum":0,"exclusiveMaximum":true,"maximum":1},
                "mode":{"type":"string","enum":["a","b"],"default":"a"},
                "tags":{"type":"array","minItems":1,"maxItems":2,"items":{"type":"string"}},
                "labels":{"type":"object","maxProperties":1,"minProperties":1,"additionalProperties":{"type":"string"}},
                "note":{"type":"string","nullable":true},
                "port":{"x-kubernetes-int-or-string":true},
                "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object"}}},
                "items":{"type":"array","items":{"type":"object","properties":{"size":{"type":"integer","default":3}}}}
              }},
              "status":{"type":"object","properties":{"ok":{"type":"boolean"}}}
            }}"""));

    private static List<String> errors(String object) {
        ObjectNode parsed = json(object);
        SCHEMA.prune(parsed);
        SCHEMA.applyDefaults(parsed);
        return SCHEMA.validate(parsed).stream().map(c -> c.field() + ": " + c.message()).toList();
    }

    @Test
    void validObjectsPass() {
        assertThat(errors("""
                {"apiVersion":"x/v1","kind":"X","metadata":{"name":"n"},"spec":{"name":"abc","replicas":3,
                 "ratio":0.5,"tags":["t"],"labels":{"a":"b"},"note":null,"port":"http","free":{"any":[1,{}]}}}
                """)).isEmpty();
        assertThat(errors("{\"spec\":{\"name\":\"ab\",\"port\":80}}")).isEmpty();
    }

    @Test
    void numbersLengthsPatternsAndEnums() {
        assertThat(errors("{\"spec\":{\"name\":\"ABCDEFG\",\"replicas\":20,\"ratio\":1,\"mode\":\"c\"}}"))
                .containsExactlyInAnyOrder(
                        "spec.name: Too long: may not be more than 5 bytes",
                        "spec.name: Invalid value: \"ABCDEFG\": spec.name in body should match '^[a-z]+$'",
                        "spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10",
                        "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1",
                        "spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"");
        assertThat(errors("{\"spec\":{\"name\":\"a\",\"replicas\":0,\"ratio\":0}}")).containsExactlyInAnyOrder(
                "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long",
                "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
                "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0");
    }

    @Test
    void typesRequiredItemsAndProperties() {
        assertThat(errors("{\"spec\":{\"replicas\":\"two\",\"tags\":[],\"labels\":{},\"note\":null,\"port\":true}}"))
                .containsExactlyInAnyOrder(
                        "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: "
                                + "\"string\"",
                        "spec.tags: Invalid value: \"array\": spec.tags in body should have at least 1 items",
                        "spec.labels: Invalid value: \"object\": spec.labels in body should have at least 1 properties",
                        "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer-or-string: "
                                + "\"boolean\"",
                        "spec.name: Required value");
        assertThat(errors("{\"spec\":{\"name\":\"ab\",\"tags\":[\"a\",1,\"c\"],\"labels\":{\"a\":\"b\",\"c\":\"d\"}}}"))
                .containsExactlyInAnyOrder(
                        "spec.tags: Too many: 3: must have at most 2 items",
                        "spec.tags[1]: Invalid value: \"integer\": spec.tags[1] in body must be of type string: "
                                + "\"integer\"",
                        "spec.labels: Too many: 2: must have at most 1 items");
        assertThat(errors("{\"spec\":{\"name\":\"ab\",\"template\":{\"metadata\":{\"name\":\"x\"}}}}"))
                .containsExactlyInAnyOrder("spec.template.apiVersion: Required value: must not be empty",
                        "spec.template.kind: Required value: must not be empty");
    }

    @Test
    void pruningKeepsWhatTheSchemaAndPreserveUnknownFieldsAllow() {
        ObjectNode object = json("""
                {"apiVersion":"x/v1","kind":"X","metadata":{"name":"n","labels":{"a":"b"}},"extra":1,
                 "spec":{"name":"ab","unknown":{"x":1},"free":{"anything":{"deep":true}},
                         "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"x":1},"junk":2},
                         "items":[{"size":1,"junk":true}]},
                 "status":{"ok":true,"junk":1}}""");
        SCHEMA.prune(object);
        assertThat(object).isEqualTo(json("""
                {"apiVersion":"x/v1","kind":"X","metadata":{"name":"n","labels":{"a":"b"}},
                 "spec":{"name":"ab","free":{"anything":{"deep":true}},
                         "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}},
                         "items":[{"size":1}]},
                 "status":{"ok":true}}"""));
    }

    @Test
    void defaultsFillMissingFieldsOfPresentObjects() {
        ObjectNode object = json("{\"spec\":{\"name\":\"ab\",\"mode\":null,\"items\":[{},{\"size\":5}]}}");
        SCHEMA.applyDefaults(object);
        assertThat(object).isEqualTo(json(
                "{\"spec\":{\"name\":\"ab\",\"mode\":\"a\",\"replicas\":1,\"items\":[{\"size\":3},{\"size\":5}]}}"));
        ObjectNode empty = json("{}");
        SCHEMA.applyDefaults(empty);
        assertThat(empty).isEqualTo(json("{}"));
    }

    @Test
    void printerColumnPaths() {
        ObjectNode object = json("{\"status\":{\"conditions\":[{\"type\":\"A\",\"status\":\"False\"},"
                + "{\"type\":\"Ready\",\"status\":\"True\"}]},\"spec\":{\"list\":[{\"n\":7}]}}");
        assertThat(JsonPaths.get(object, ".status.conditions[?(@.type==\"Ready\")].status").asString())
                .isEqualTo("True");
        assertThat(JsonPaths.get(object, "{.spec.list[0].n}").asInt()).isEqualTo(7);
        assertThat(JsonPaths.get(object, ".spec.list[3].n")).isNull();
        assertThat(JsonPaths.get(object, ".spec.missing.deeper")).isNull();
        ObjectNode target = json("{}");
        JsonPaths.set(target, ".spec.replicas", Json.NODES.numberNode(3));
        assertThat(target).isEqualTo(json("{\"spec\":{\"replicas\":3}}"));
        assertThat(JsonPaths.isValid(".spec.x[")).isFalse();
    }

    @Test
    void causesCarryUpstreamReasons() {
        ObjectNode parsed = json("{\"spec\":{\"replicas\":\"x\",\"mode\":\"z\",\"tags\":[\"a\",\"b\",\"c\"]}}");
        assertThat(SCHEMA.validate(parsed)).extracting(Cause::reason).containsExactlyInAnyOrder(
                "FieldValueTypeInvalid", "FieldValueNotSupported", "FieldValueTooMany", "FieldValueRequired");
    }
}
