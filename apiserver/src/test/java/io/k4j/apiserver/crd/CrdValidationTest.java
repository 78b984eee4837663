package io.k4j.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class CrdValidationTest {

    private static ObjectNode crd(String text) {
        ObjectNode crd = Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
        CrdStrategy.applyDefaults(crd);
        return crd;
    }

    private static List<String> errors(ObjectNode crd) {
        return CrdValidation.validate(crd).stream().map(c -> c.field() + ": " + c.message()).toList();
    }

    private static final String VALID = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
               "names":{"plural":"widgets","kind":"Widget","shortNames":["wd"],"categories":["all"]},
               "versions":[
                 {"name":"v1","served":true,"storage":true,
                  "subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas",
                                                       "statusReplicasPath":".status.replicas"}},
                  "additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"}],
                  "schema":{"openAPIV3Schema":{"type":"object","properties":{
                     "spec":{"type":"object","properties":{"size":{"type":"integer"},
                        "any":{"x-kubernetes-preserve-unknown-fields":true},
                        "port":{"x-kubernetes-int-or-string":true},
                        "list":{"type":"array","items":{"type":"string"}}}}}}}},
                 {"name":"v1beta1","served":true,"storage":false,
                  "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """;

    @Test
    void aValidCrdPassesAndGetsDefaults() {
        ObjectNode valid = crd(VALID);
        assertThat(errors(valid)).isEmpty();
        assertThat(valid.path("spec").path("names").path("singular").asString()).isEqualTo("widget");
        assertThat(valid.path("spec").path("names").path("listKind").asString()).isEqualTo("WidgetList");
        assertThat(valid.path("spec").path("conversion").path("strategy").asString()).isEqualTo("None");
    }

    @Test
    void namesGroupScopeAndVersions() {
        ObjectNode bad = crd(VALID);
        ((ObjectNode) bad.path("metadata")).put("name", "other.example.com");
        ObjectNode spec = (ObjectNode) bad.path("spec");
        spec.put("group", "example");
        spec.put("scope", "Global");
        ((ObjectNode) spec.path("names")).put("plural", "Widgets");
        ((ObjectNode) spec.path("names")).put("listKind", "Widget");
        ((ObjectNode) spec.path("versions").get(1)).put("storage", true);
        assertThat(errors(bad)).contains(
                "metadata.name: Invalid value: \"other.example.com\": must be spec.names.plural+\".\"+spec.group",
                "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
                "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"",
                "spec.names.listKind: Invalid value: \"Widget\": kind and listKind may not be the same",
                "spec.versions: Invalid value: 2: must have exactly one version marked as storage version");
        assertThat(errors(bad)).anyMatch(e -> e.startsWith("spec.names.plural: Invalid value: \"Widgets\": a DNS-1035"));

        ObjectNode none = crd(VALID);
        ((ObjectNode) none.path("spec")).putArray("versions");
        assertThat(errors(none)).contains(
                "spec.versions: Required value: must have exactly one version marked as storage version");
        ObjectNode noKind = crd(VALID);
        ((ObjectNode) noKind.path("spec").path("names")).remove(List.of("kind", "listKind", "singular"));
        assertThat(errors(noKind)).contains("spec.names.kind: Required value", "spec.names.listKind: Required value");
    }

    @Test
    void structuralSchemaRules() {
        ObjectNode bad = crd(VALID);
        ObjectNode properties = (ObjectNode) bad.path("spec").path("versions").get(0).path("schema")
                .path("openAPIV3Schema").path("properties").path("spec").path("properties");
        properties.putObject("untyped").putObject("properties");
        properties.putObject("ref").put("$ref", "#/definitions/x");
        properties.putObject("uniq").put("type", "array").put("uniqueItems", true).putObject("items").put("type",
                "string");
        properties.putObject("noItems").put("type", "array");
        properties.putObject("both").put("type", "object").put("additionalProperties", true).putObject("properties");
        properties.putObject("weird").put("type", "thing");
        properties.putObject("defaulted").put("type", "integer").put("maximum", 3).put("default", 5);
        ((ObjectNode) bad.path("spec").path("versions").get(1)).remove("schema");
        String at = "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties";
        assertThat(errors(bad)).contains(
                at + "[untyped].type: Required value: must not be empty for specified object fields",
                at + "[ref].$ref: Forbidden: $ref is not supported",
                at + "[uniq].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity "
                        + "becomes quadratic",
                at + "[noItems].items: Required value: must be specified",
                at + "[both].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
                at + "[weird].type: Unsupported value: \"thing\": supported values: \"array\", \"boolean\", "
                        + "\"integer\", \"number\", \"object\", \"string\"",
                "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required",
                at + "[defaulted].default: Invalid value: 5: " + at + "[defaulted].default in body should be less "
                        + "than or equal to 3");
    }

    @Test
    void subresourcesAndColumns() {
        ObjectNode bad = crd(VALID);
        ObjectNode version = (ObjectNode) bad.path("spec").path("versions").get(0);
        ((ObjectNode) version.path("subresources").path("scale")).put("specReplicasPath", ".status.replicas");
        ((ObjectNode) version.path("additionalPrinterColumns").get(0)).put("type", "float");
        assertThat(errors(bad)).contains(
                "spec.versions[0].subresources.scale.specReplicasPath: Invalid value: \".status.replicas\": should be "
                        + "a json path under .spec",
                "spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: \"float\": supported values: "
                        + "\"boolean\", \"date\", \"integer\", \"number\", \"string\"");
    }

    @Test
    void updatesMayNotChangeGroupOrScope() {
        ObjectNode old = crd(VALID);
        ObjectNode changed = crd(VALID);
        ((ObjectNode) changed.path("spec")).put("scope", "Cluster");
        assertThat(CrdValidation.validateUpdate(changed, old)).extracting(c -> c.field() + ": " + c.message())
                .contains("spec.scope: Invalid value: \"Cluster\": field is immutable");
    }

    @Test
    void servedVersionsBecomeDefinitionsInPriorityOrder() {
        List<ResourceDefinition> definitions = CustomResourceDefinitions.definitions(crd(VALID));
        assertThat(definitions).extracting(ResourceDefinition::version).containsExactly("v1", "v1beta1");
        ResourceDefinition v1 = definitions.get(0);
        assertThat(v1.namespaced()).isTrue();
        assertThat(v1.shortNames()).containsExactly("wd");
        assertThat(v1.subresources()).extracting(s -> s.name() + "=" + s.group() + "/" + s.version() + "/" + s.kind())
                .containsExactly("status=example.com/v1/Widget", "scale=autoscaling/v1/Scale");
        assertThat(v1.storagePrefix()).isEqualTo(definitions.get(1).storagePrefix());
        List<String> versions = new ArrayList<>(List.of("v1alpha1", "foo1", "v2", "v1beta2", "v1", "v10", "v11beta2",
                "v12alpha1", "foo10", "v3beta1"));
        versions.sort(CustomResourceDefinitions.VERSION_PRIORITY);
        assertThat(versions).containsExactly("v10", "v2", "v1", "v11beta2", "v3beta1", "v1beta2", "v12alpha1",
                "v1alpha1", "foo1", "foo10");
    }
}
