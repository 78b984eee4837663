package io.k4j.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.registry.ResourceStrategy;
import io.k4j.apiserver.schema.FieldSemantics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class OpenApiDocumentsTest {

    private final ResourceRegistry registry = ResourceRegistry.withBuiltins();
    private final OpenApiDocuments documents = new OpenApiDocuments(registry, CustomSchemas.NONE);

    private JsonNode doc(String key) {
        return Json.parse(documents.document(key).orElseThrow().json());
    }

    private static JsonNode schema(JsonNode doc, String name) {
        JsonNode schema = doc.path("components").path("schemas").get(name);
        assertThat(schema).as(name).isNotNull();
        return schema;
    }

    @Test
    void theIndexListsEveryServedGroupVersionWithItsHash() {
        JsonNode index = Json.parse(documents.index());
        for (Map.Entry<String, List<String>> group : registry.groupVersions().entrySet()) {
            for (String version : group.getValue()) {
                String key = group.getKey().isEmpty() ? "api/" + version : "apis/" + group.getKey() + "/" + version;
                String url = index.path("paths").path(key).path("serverRelativeURL").asString();
                assertThat(url).startsWith("/openapi/v3/" + key + "?hash=")
                        .endsWith(documents.document(key).orElseThrow().hash());
            }
        }
    }

    @Test
    void everyServedKindHasATaggedSchemaAndPaths() {
        for (ResourceDefinition definition : registry.all()) {
            String key = definition.group().isEmpty() ? "api/" + definition.version()
                    : "apis/" + definition.group() + "/" + definition.version();
            JsonNode doc = doc(key);
            Class<?> type = ModelClasses.forKind(definition.group(), definition.version(), definition.kind())
                    .orElseThrow(() -> new AssertionError("no model class for " + definition));
            JsonNode schema = schema(doc, ModelSchemas.name(type));
            assertThat(schema.path("x-kubernetes-group-version-kind").toString())
                    .contains("\"group\":\"" + definition.group() + "\"", "\"kind\":\"" + definition.kind() + "\"",
                            "\"version\":\"" + definition.version() + "\"");
            assertThat(schema.path("type").asString()).isEqualTo("object");
            assertThat(schema.path("description").asString()).isNotEmpty();
            assertThat(schema.path("properties").has("metadata")).isTrue();
            String collection = "/" + key + (definition.namespaced() ? "/namespaces/{namespace}/" : "/")
                    + definition.plural();
            if (definition.verbs().contains("patch")) {
                JsonNode patch = doc.path("paths").path(collection + "/{name}").path("patch");
                assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asString())
                        .isEqualTo(definition.kind());
                assertThat(patch.path("x-kubernetes-action").asString()).isEqualTo("patch");
                assertThat(patch.path("parameters").toString()).contains("\"fieldValidation\"", "\"dryRun\"",
                        "\"fieldManager\"");
                assertThat(patch.path("requestBody").path("content").propertyNames()).contains(
                        "application/json-patch+json", "application/merge-patch+json",
                        "application/strategic-merge-patch+json", "application/apply-patch+yaml");
            }
            if (definition.verbs().contains("list")) {
                assertThat(doc.path("paths").path(collection).path("get").path("x-kubernetes-action").asString())
                        .isEqualTo("list");
            } else {
                // create-only kinds such as the access reviews
                assertThat(doc.path("paths").path(collection).path("post").path("x-kubernetes-action").asString())
                        .isEqualTo("post");
            }
        }
    }

    @Test
    void everyReferenceResolves() {
        for (OpenApiDocuments.Document document : documents.documents().values()) {
            JsonNode doc = Json.parse(document.json());
            List<String> refs = new ArrayList<>();
            collect(doc, refs);
            for (String ref : refs) {
                assertThat(ref).startsWith("#/components/schemas/");
                assertThat(doc.path("components").path("schemas").has(ref.substring("#/components/schemas/".length())))
                        .as(document.key() + " " + ref).isTrue();
            }
        }
    }

    private static void collect(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            if (node.has("$ref")) {
                refs.add(node.get("$ref").asString());
            }
            node.forEach(child -> collect(child, refs));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, refs));
        }
    }

    @Test
    void fieldTypesFollowUpstream() {
        JsonNode apps = doc("apis/apps/v1");
        JsonNode strategy = schema(apps, "io.k8s.api.apps.v1.RollingUpdateDeployment").path("properties");
        assertThat(strategy.path("maxSurge").path("$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        JsonNode intOrString = schema(apps, "io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(intOrString.path("x-kubernetes-int-or-string").asBoolean()).isTrue();
        assertThat(intOrString.path("format").asString()).isEqualTo("int-or-string");
        JsonNode spec = schema(apps, "io.k8s.api.apps.v1.DeploymentSpec");
        assertThat(spec.path("properties").path("replicas").path("format").asString()).isEqualTo("int32");
        assertThat(spec.path("required").toString()).contains("selector", "template");
        JsonNode meta = schema(apps, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").path("properties");
        assertThat(meta.path("creationTimestamp").path("$ref").asString()).endsWith("meta.v1.Time");
        assertThat(meta.path("generation").path("format").asString()).isEqualTo("int64");
        assertThat(meta.path("labels").path("additionalProperties").path("type").asString()).isEqualTo("string");
        assertThat(schema(apps, "io.k8s.apimachinery.pkg.apis.meta.v1.Time").path("format").asString())
                .isEqualTo("date-time");
        JsonNode container = schema(apps, "io.k8s.api.core.v1.Container");
        assertThat(container.path("required").toString()).contains("name");
        assertThat(container.path("properties").path("ports").path("items").path("$ref").asString())
                .endsWith("io.k8s.api.core.v1.ContainerPort");
        assertThat(container.path("properties").path("ports").path("description").asString())
                .isEqualTo("Ports: a list of ContainerPort objects.");
        JsonNode resources = schema(apps, "io.k8s.api.core.v1.ResourceRequirements").path("properties");
        assertThat(resources.path("limits").path("additionalProperties").path("$ref").asString())
                .endsWith("io.k8s.apimachinery.pkg.api.resource.Quantity");
        JsonNode revision = schema(apps, "io.k8s.api.apps.v1.ControllerRevision").path("properties");
        assertThat(revision.path("data").path("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
        assertThat(schema(apps, "io.k8s.api.apps.v1.DeploymentList").path("x-kubernetes-group-version-kind")
                .toString()).contains("DeploymentList");
        // subresources: deployments/scale is tagged with autoscaling/v1 Scale, and its schema is in the document
        JsonNode scale = apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
        assertThat(scale.path("put").path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Scale");
        assertThat(schema(apps, "io.k8s.api.autoscaling.v1.Scale").path("x-kubernetes-group-version-kind").toString())
                .contains("autoscaling");
        JsonNode core = doc("api/v1");
        assertThat(core.path("paths").path("/api/v1/watch/namespaces/{namespace}/pods").path("get")
                .path("x-kubernetes-action").asString()).isEqualTo("watchlist");
        assertThat(core.path("paths").path("/api/v1/nodes/{name}/status").has("patch")).isTrue();
    }

    @Test
    void listExtensionsComeFromFieldSemantics() {
        Assumptions.assumeTrue(FieldSemantics.list(PodSpec.class, "containers").isPresent(),
                "merge semantics table not filled yet");
        JsonNode containers = schema(doc("api/v1"), "io.k8s.api.core.v1.PodSpec").path("properties").path("containers");
        // The one assertion that needs FieldSemantics' table: PodSpec.containers merges by name.
        assertThat(containers.path("x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
        assertThat(containers.path("x-kubernetes-patch-strategy").asString()).contains("merge");
    }

    @Test
    void documentsAreMadeAgainWhenTheRegistryChanges() {
        String before = documents.document("api/v1").orElseThrow().hash();
        assertThat(documents.document("apis/example.com/v1")).isEmpty();
        registry.register(new ResourceDefinition("example.com", "v1", "Widget", "widgets", "widget", List.of(),
                List.of(), true, ResourceDefinition.ALL_VERBS, List.of(), null), ResourceStrategy.DEFAULT);
        JsonNode widgets = doc("apis/example.com/v1");
        JsonNode schema = schema(widgets, "com.example.v1.Widget");
        assertThat(schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
        assertThat(schema.path("x-kubernetes-group-version-kind").toString()).contains("Widget");
        JsonNode patch = widgets.path("paths").path("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}")
                .path("patch");
        assertThat(patch.path("requestBody").path("content").propertyNames())
                .doesNotContain("application/strategic-merge-patch+json").contains("application/merge-patch+json");
        assertThat(documents.document("api/v1").orElseThrow().hash()).isEqualTo(before);
    }

    @Test
    void customSchemasAreAskedFirst() {
        ResourceRegistry custom = new ResourceRegistry();
        ResourceDefinition widgets = new ResourceDefinition("example.com", "v1", "Widget", "widgets", "widget",
                List.of(), List.of(), true, ResourceDefinition.ALL_VERBS, List.of(), null);
        custom.register(widgets, ResourceStrategy.DEFAULT);
        ObjectNode crd = (ObjectNode) Json.parse("""
                {"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        OpenApiDocuments withCustom = new OpenApiDocuments(custom, d -> Optional.of(crd));
        JsonNode schema = Json.parse(withCustom.document("apis/example.com/v1").orElseThrow().json())
                .path("components").path("schemas").path("com.example.v1.Widget");
        assertThat(schema.path("properties").path("spec").path("properties").has("size")).isTrue();
        assertThat(schema.path("properties").path("metadata").path("$ref").asString()).endsWith("ObjectMeta");
        assertThat(withCustom.kindSchema(widgets)).isPresent();
    }
}
