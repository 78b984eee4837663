package io.k4j.apiserver.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Request bodies as JSON or YAML, stored objects as JSON: the direct JSON path reads what fabric8's unmarshal read. */
class JsonTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonAfterWhitespaceIsReadAsJson() {
        JsonNode node = Json.parse(utf8(" \n\t{\"kind\":\"Pod\",\"metadata\":{\"name\":\"caf\u00e9\"},\"n\":1.5}"));
        assertThat(node.path("kind").asString()).isEqualTo("Pod");
        assertThat(Json.textAt(node, "metadata", "name")).isEqualTo("caf\u00e9");
        assertThat(node.path("n").asDouble()).isEqualTo(1.5);
    }

    @Test
    void yamlIsStillReadAsYaml() {
        JsonNode node = Json.parse(utf8("kind: Pod\nmetadata:\n  name: web\n"));
        assertThat(Json.textAt(node, "metadata", "name")).isEqualTo("web");
    }

    @Test
    void aJsonArrayIsNotAnObject() {
        assertThat(Json.parse(utf8("[1,2]")).isArray()).isTrue();
        assertThatThrownBy(() -> Json.parseObject(utf8("[1,2]")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void brokenJsonIsABadRequestNamingTheProblem() {
        assertThatThrownBy(() -> Json.parse(utf8("{\"kind\": ")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("the request body is not valid JSON or YAML: ");
                });
    }

    @Test
    void storedBytesReadBackToTheSameTree() {
        JsonNode node = Json.parse(utf8("{\"a\":{\"b\":[1,\"x\",null,true]},\"s\":\"\u00fc\u20ac\"}"));
        byte[] stored = Json.bytes(node);
        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo(Json.text(node));
        assertThat(Json.parseStored(stored)).isEqualTo(node);
    }
}
