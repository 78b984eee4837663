package io.k4j.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class FieldValidationTest {

    private final ResourceRegistry registry = ResourceRegistry.withBuiltins();
    private final FieldValidation validation = new FieldValidation(new OpenApiDocuments(registry, CustomSchemas.NONE));
    private final ResourceDefinition deployments = registry.require("apps", "v1", "deployments");
    private final ResourceDefinition configMaps = registry.require("", "v1", "configmaps");

    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"any":"label"}},
             "spec":{"replicas":1,"foo":1,"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"}},
               "spec":{"containers":[{"name":"a","image":"nginx","imagePullPolicyy":"Always",
                 "resources":{"limits":{"cpu":"1"}},"ports":[{"containerPort":80,"bogus":true}]}]}},
              "strategy":{"rollingUpdate":{"maxSurge":"25%"}}}}
            """;

    private static ApiRequest request(String mode, String body) {
        return new ApiRequest("POST", "/apis/apps/v1/namespaces/default/deployments",
                mode == null ? Map.of() : Map.of("fieldValidation", List.of(mode)),
                Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8), List.of(), null,
                false);
    }

    private static ObjectNode parse(String body) {
        return Json.parseObject(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void strictRejectsUnknownFieldsEverywhereWithTheirPaths() {
        assertThatThrownBy(() -> validation.check(request("Strict", DEPLOYMENT), deployments, parse(DEPLOYMENT), null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("Deployment in version \"v1\" cannot be handled as a "
                            + "Deployment: strict decoding error: ")
                            .contains("unknown field \"spec.foo\"",
                                    "unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"",
                                    "unknown field \"spec.template.spec.containers[0].ports[0].bogus\"")
                            .doesNotContain("labels", "limits", "maxSurge");
                });
    }

    @Test
    void warnAnswersWithWarningHeadersAndDropsTheFields() {
        ObjectNode object = parse(DEPLOYMENT);
        FieldValidation.Report report = validation.check(request("Warn", DEPLOYMENT), deployments, object, null);
        assertThat(report.warnings()).contains("unknown field \"spec.foo\"");
        assertThat(report.headers().get("Warning")).startsWith("299 - \"unknown field \\\"spec");
        assertThat(object.path("spec").has("foo")).isFalse();
        assertThat(object.path("spec").path("template").path("spec").path("containers").get(0)
                .has("imagePullPolicyy")).isFalse();
        assertThat(object.path("metadata").path("labels").path("any").asString()).isEqualTo("label");
    }

    @Test
    void ignoreAndAbsentDropSilently() {
        for (String mode : new String[] {"Ignore", null}) {
            ObjectNode object = parse(DEPLOYMENT);
            assertThat(validation.check(request(mode, DEPLOYMENT), deployments, object, null).warnings()).isEmpty();
            assertThat(object.path("spec").has("foo")).isFalse();
        }
    }

    @Test
    void duplicateFieldsAreFoundInTheRawBody() {
        String body = """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","name":"b"},
                 "data":{"k":"1","k":"2"},"list":[{"x":1},{"y":1,"y":2}]}
                """;
        assertThat(FieldValidation.duplicates(body.getBytes(StandardCharsets.UTF_8)))
                .containsExactly("metadata.name", "data.k", "list[1].y");
        assertThatThrownBy(() -> validation.check(request("Strict", body), configMaps, parse(body), null))
                .hasMessageContaining("duplicate field \"metadata.name\"").hasMessageContaining("unknown field \"list\"");
        assertThat(FieldValidation.duplicates("a: 1\na: 2\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void patchesReportOnlyWhatTheyAdd() {
        ObjectNode before = parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
                + "\"old\":1}");
        ObjectNode after = parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
                + "\"old\":1,\"fresh\":2}");
        FieldValidation.Report report = validation.check(request("Warn", "{}"), configMaps, after, before);
        assertThat(report.warnings()).containsExactly("unknown field \"fresh\"");
        assertThat(after.has("old")).isFalse();
    }

    @Test
    void badModeIsABadRequest() {
        assertThatThrownBy(() -> validation.check(request("Loose", "{}"), configMaps, parse("{}"), null))
                .isInstanceOf(ApiException.class).hasMessageContaining("fieldValidation");
    }
}
