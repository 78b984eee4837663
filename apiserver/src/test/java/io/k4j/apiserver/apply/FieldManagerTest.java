package io.k4j.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.Subresource;
import io.k4j.apiserver.schema.ListSemantics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Ownership, conflicts and removal, with the cases of upstream's server-side apply documentation. */
class FieldManagerTest {

    private static final ResourceDefinition DEPLOYMENTS = new ResourceDefinition("apps", "v1", "Deployment",
            "deployments", "deployment", List.of(), List.of(), true, ResourceDefinition.ALL_VERBS,
            List.of(new Subresource("status", "apps", "v1", "Deployment", List.of("get", "patch", "update"))), null);
    private static final ResourceDefinition CONFIGMAPS = new ResourceDefinition("", "v1", "ConfigMap",
            "configmaps", "configmap", List.of(), List.of(), true, ResourceDefinition.ALL_VERBS, List.of(), null);

    /** Containers merge by name and ports by containerPort+protocol, as the table will say. */
    private static final Schemas SCHEMAS = new Schemas((owner, field) -> {
        if (owner == PodSpec.class && field.equals("containers")) {
            return Optional.of(new ListSemantics("merge", "name", "map", List.of("name")));
        }
        if (owner == Container.class && field.equals("ports")) {
            return Optional.of(new ListSemantics("merge", "containerPort", "map", List.of("containerPort", "protocol")));
        }
        if (owner == io.fabric8.kubernetes.api.model.ObjectMeta.class && field.equals("finalizers")) {
            return Optional.of(new ListSemantics("merge", null, "set", List.of()));
        }
        return Optional.empty();
    });

    private final FieldManager fields = new FieldManager(SCHEMAS);
    private final Instant now = Instant.parse("2026-01-02T03:04:05Z");

    private static ObjectNode obj(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static String fieldsOf(JsonNode object, String manager, String operation) {
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (entry.path("manager").asString("").equals(manager) && entry.path("operation").asString("")
                    .equals(operation)) {
                return Json.text(entry.get("fieldsV1"));
            }
        }
        return null;
    }

    private static ObjectNode deployment(int replicas, String image) {
        return obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'ns',"
                + "'labels':{'app':'web'}},'spec':{'replicas':" + replicas + ",'selector':{'matchLabels':"
                + "{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':"
                + "[{'name':'app','image':'" + image + "'}]}}}}");
    }

    @Test
    void applyOwnsWhatItSetsWithUpstreamFieldsV1() {
        ObjectNode created = fields.apply(DEPLOYMENTS, "", null, deployment(1, "nginx:1"), "kubectl", false, now);
        assertThat(fieldsOf(created, "kubectl", "Apply")).isEqualTo("{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
                + "\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":{\"f:metadata\":{\"f:labels\":"
                + "{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\"f:image\":{},"
                + "\"f:name\":{},\".\":{}}}}}}}");
        JsonNode entry = created.path("metadata").path("managedFields").get(0);
        assertThat(entry.path("apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(entry.path("time").asString()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(entry.path("fieldsType").asString()).isEqualTo("FieldsV1");
    }

    @Test
    void updatesRecordWhatTheyChangedAndTheLastWriterTakesFieldsOver() {
        ObjectNode created = deployment(1, "nginx:1");
        fields.update(DEPLOYMENTS, "", null, created, "kubectl-create", now);
        assertThat(fieldsOf(created, "kubectl-create", "Update")).contains("\"f:labels\":{\"f:app\":{},\".\":{}}")
                .contains("\"f:replicas\":{}").doesNotContain("\"f:name\":{},\"f:namespace\"")
                .startsWith("{\"f:metadata\":{\"f:labels\"");
        ObjectNode scaled = created.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 3);
        fields.update(DEPLOYMENTS, "scale", created, scaled, "kubectl-scale", now.plusSeconds(5));
        assertThat(fieldsOf(scaled, "kubectl-create", "Update")).doesNotContain("f:replicas");
        assertThat(fieldsOf(scaled, "kubectl-scale", "Update")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        JsonNode scaleEntry = scaled.path("metadata").path("managedFields").get(1);
        assertThat(scaleEntry.path("subresource").asString()).isEqualTo("scale");
        assertThat(scaleEntry.path("time").asString()).isEqualTo("2026-01-02T03:04:10Z");
    }

    @Test
    void applyConflictsWithAnotherManagerUnlessForced() {
        ObjectNode live = deployment(1, "nginx:1");
        fields.update(DEPLOYMENTS, "", null, live, "kubectl-client-side-apply", now);
        ObjectNode config = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
                + "'spec':{'replicas':2}}");
        assertThatThrownBy(() -> fields.apply(DEPLOYMENTS, "", live, config, "kubectl", false, now))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
                            + "\"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
                    ObjectNode status = e.toStatus();
                    assertThat(status.path("reason").asString()).isEqualTo("Conflict");
                    JsonNode cause = status.path("details").path("causes").get(0);
                    assertThat(cause.path("reason").asString()).isEqualTo("FieldManagerConflict");
                    assertThat(cause.path("message").asString())
                            .isEqualTo("conflict with \"kubectl-client-side-apply\" using apps/v1");
                    assertThat(cause.path("field").asString()).isEqualTo(".spec.replicas");
                });
        ObjectNode forced = fields.apply(DEPLOYMENTS, "", live, config, "kubectl", true, now);
        assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(forced.path("spec").path("template").path("spec").path("containers")).hasSize(1);
        assertThat(fieldsOf(forced, "kubectl", "Apply")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(fieldsOf(forced, "kubectl-client-side-apply", "Update")).doesNotContain("f:replicas")
                .contains("f:image");
    }

    @Test
    void applyingTheSameValueSharesOwnershipWithoutConflict() {
        ObjectNode live = fields.apply(DEPLOYMENTS, "", null, deployment(1, "nginx:1"), "a", false, now);
        ObjectNode config = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
                + "'spec':{'replicas':1}}");
        ObjectNode shared = fields.apply(DEPLOYMENTS, "", live, config, "b", false, now);
        assertThat(fieldsOf(shared, "a", "Apply")).contains("f:replicas");
        assertThat(fieldsOf(shared, "b", "Apply")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        // a changing the shared field now conflicts with b
        assertThatThrownBy(() -> fields.apply(DEPLOYMENTS, "", shared, deployment(5, "nginx:1"), "a", false, now))
                .hasMessage("Apply failed with 1 conflict: conflict with \"b\": .spec.replicas");
    }

    @Test
    void fieldsNoLongerAppliedAreRemovedUnlessSomeoneElseOwnsThem() {
        ObjectNode config = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':"
                + "{'a':'1','b':'2'}},'data':{'x':'1','y':'2'}}");
        ObjectNode live = fields.apply(CONFIGMAPS, "", null, config, "mine", false, now);
        ObjectNode other = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'y':'2'}}");
        live = fields.apply(CONFIGMAPS, "", live, other, "theirs", false, now);
        ObjectNode smaller = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':"
                + "{'a':'1'}},'data':{'x':'1'}}");
        ObjectNode result = fields.apply(CONFIGMAPS, "", live, smaller, "mine", false, now);
        assertThat(Json.text(result.path("metadata").path("labels"))).isEqualTo("{\"a\":\"1\"}");
        assertThat(Json.text(result.path("data"))).isEqualTo("{\"x\":\"1\",\"y\":\"2\"}");
        // nothing applied under metadata.labels any more: the map goes
        ObjectNode none = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'x':'1'}}");
        ObjectNode bare = fields.apply(CONFIGMAPS, "", result, none, "mine", false, now);
        assertThat(bare.path("metadata").has("labels")).isFalse();
        assertThat(bare.path("metadata").path("name").asString()).isEqualTo("c");
    }

    @Test
    void removedListElementsGoAndForeignOnesStayInPlace() {
        ObjectNode two = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':"
                + "{'template':{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:1'}]}}}}");
        ObjectNode live = fields.apply(DEPLOYMENTS, "", null, two, "mine", false, now);
        ObjectNode sidecar = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':"
                + "{'template':{'spec':{'containers':[{'name':'s','image':'s:1'}]}}}}");
        live = fields.apply(DEPLOYMENTS, "", live, sidecar, "mesh", false, now);
        assertThat(live.path("spec").path("template").path("spec").path("containers").findValuesAsString("name"))
                .containsExactly("a", "b", "s");
        ObjectNode one = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':"
                + "{'template':{'spec':{'containers':[{'name':'a','image':'a:2'}]}}}}");
        ObjectNode result = fields.apply(DEPLOYMENTS, "", live, one, "mine", false, now);
        JsonNode containers = result.path("spec").path("template").path("spec").path("containers");
        assertThat(containers.findValuesAsString("name")).containsExactly("a", "s");
        assertThat(containers.get(0).path("image").asString()).isEqualTo("a:2");
    }

    @Test
    void setListsMergeByValue() {
        ObjectNode live = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['x']}}");
        fields.update(CONFIGMAPS, "", null, live, "creator", now);
        ObjectNode config = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['y']}}");
        ObjectNode result = fields.apply(CONFIGMAPS, "", live, config, "mine", false, now);
        assertThat(Json.text(result.path("metadata").path("finalizers"))).isEqualTo("[\"x\",\"y\"]");
        assertThat(fieldsOf(result, "mine", "Apply")).isEqualTo("{\"f:metadata\":{\"f:finalizers\":{\"v:\\\"y\\\"\":{}}}}");
    }

    @Test
    void statusIsOwnedThroughTheStatusSubresourceOnly() {
        ObjectNode live = fields.apply(DEPLOYMENTS, "", null, deployment(1, "nginx:1"), "kubectl", false, now);
        ObjectNode config = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
                + "'spec':{'replicas':7},'status':{'replicas':1}}");
        ObjectNode result = fields.apply(DEPLOYMENTS, "status", live, config, "controller", false, now);
        assertThat(fieldsOf(result, "controller", "Apply")).isEqualTo("{\"f:status\":{\"f:replicas\":{}}}");
        JsonNode entry = result.path("metadata").path("managedFields").get(0);
        assertThat(entry.path("manager").asString()).isEqualTo("controller");
        assertThat(entry.path("subresource").asString()).isEqualTo("status");
    }

    @Test
    void clientsSetManagedFieldsDirectlyOrResetThem() {
        ObjectNode live = deployment(1, "nginx:1");
        fields.update(DEPLOYMENTS, "", null, live, "kubectl-create", now);
        ObjectNode cleared = live.deepCopy();
        ((ObjectNode) cleared.get("metadata")).putArray("managedFields").addObject();
        fields.update(DEPLOYMENTS, "", live, cleared, "kubectl-edit", now);
        assertThat(cleared.path("metadata").has("managedFields")).isFalse();
        ObjectNode clearedAndLabelled = live.deepCopy();
        ((ObjectNode) clearedAndLabelled.get("metadata")).putArray("managedFields").addObject();
        ((ObjectNode) clearedAndLabelled.path("metadata").path("labels")).put("team", "blue");
        fields.update(DEPLOYMENTS, "", live, clearedAndLabelled, "kubectl-edit", now);
        assertThat(clearedAndLabelled.path("metadata").path("managedFields")).hasSize(1);
        assertThat(fieldsOf(clearedAndLabelled, "kubectl-edit", "Update"))
                .isEqualTo("{\"f:metadata\":{\"f:labels\":{\"f:team\":{}}}}");
        ObjectNode emptied = live.deepCopy();
        ((ObjectNode) emptied.get("metadata")).putArray("managedFields");
        fields.update(DEPLOYMENTS, "", live, emptied, "kubectl-edit", now);
        assertThat(fieldsOf(emptied, "kubectl-create", "Update")).isNotNull();
        ObjectNode garbage = live.deepCopy();
        ((ObjectNode) garbage.get("metadata")).putArray("managedFields").addObject().put("operation", "Nope");
        fields.update(DEPLOYMENTS, "", live, garbage, "kubectl-edit", now);
        assertThat(fieldsOf(garbage, "kubectl-create", "Update")).isNotNull();
        assertThatThrownBy(() -> fields.apply(DEPLOYMENTS, "", live, live, "x", false, now))
                .hasMessage("metadata.managedFields must be nil");
    }

    @Test
    void managerDefaultsToTheUserAgentPrefix() {
        assertThat(FieldManager.managerFromUserAgent("kubectl/v1.32.0 (linux/amd64) kubernetes/abc"))
                .isEqualTo("kubectl");
        assertThat(FieldManager.managerFromUserAgent("fabric8-kubernetes-client/8.0.0")).isEqualTo(
                "fabric8-kubernetes-client");
    }

    @Test
    void everyBuiltinKindHasATypedSchema() {
        for (ResourceDefinition definition : io.k4j.apiserver.registry.ResourceRegistry.withBuiltins().all()) {
            TypeNode root = Schemas.defaults().forKind(definition.apiVersion(), definition.kind());
            assertThat(root.declares("metadata")).as(definition.kind()).isTrue();
            assertThat(root.declares("no-such-field")).as(definition.kind()).isFalse();
        }
        TypeNode custom = Schemas.defaults().forKind("example.com/v1", "Widget");
        assertThat(custom.field("metadata").field("labels").kind()).isEqualTo(TypeNode.Kind.MAP);
        assertThat(custom.field("spec").kind()).isEqualTo(TypeNode.Kind.UNTYPED);
    }

    @Test
    void nullsInTheAppliedConfigurationUnsetAndOwn() {
        ObjectNode live = fields.apply(CONFIGMAPS, "", null, obj("{'apiVersion':'v1','kind':'ConfigMap',"
                + "'metadata':{'name':'c','creationTimestamp':null},'data':{'a':'1','b':'2'}}"), "m", false, now);
        assertThat(live.path("metadata").has("creationTimestamp")).isFalse();
        ObjectNode result = fields.apply(CONFIGMAPS, "", live, obj("{'apiVersion':'v1','kind':'ConfigMap',"
                + "'metadata':{'name':'c'},'data':{'a':'1','b':null}}"), "m", false, now);
        assertThat(Json.text(result.path("data"))).isEqualTo("{\"a\":\"1\"}");
    }

    @Test
    void customResourcesUseARegisteredSchema() {
        ResourceDefinition widgets = new ResourceDefinition("example.com", "v1", "Widget", "widgets", "widget",
                List.of(), List.of(), true, ResourceDefinition.ALL_VERBS, List.of(), null);
        TypeNode port = TypeNode.struct(name -> switch (name) {
            case "name" -> TypeNode.SCALAR;
            case "port" -> TypeNode.SCALAR;
            default -> null;
        }, false);
        TypeNode spec = TypeNode.struct(name -> name.equals("ports") ? TypeNode.mapList(port, List.of("name"))
                : name.equals("size") ? TypeNode.SCALAR : null, false);
        Schemas schemas = new Schemas((owner, field) -> Optional.empty());
        schemas.registerKind("example.com/v1", "Widget", schemas.customResource(name -> name.equals("spec") ? spec
                : null));
        FieldManager manager = new FieldManager(schemas);
        ObjectNode live = manager.apply(widgets, "", null, obj("{'apiVersion':'example.com/v1','kind':'Widget',"
                + "'metadata':{'name':'w'},'spec':{'size':1,'ports':[{'name':'http','port':80}]}}"), "a", false, now);
        assertThat(fieldsOf(live, "a", "Apply")).isEqualTo("{\"f:spec\":{\"f:ports\":{\"k:{\\\"name\\\":"
                + "\\\"http\\\"}\":{\"f:name\":{},\"f:port\":{},\".\":{}}},\"f:size\":{}}}");
        ObjectNode merged = manager.apply(widgets, "", live, obj("{'apiVersion':'example.com/v1','kind':'Widget',"
                + "'metadata':{'name':'w'},'spec':{'ports':[{'name':'grpc','port':90}]}}"), "b", false, now);
        assertThat(merged.path("spec").path("ports")).hasSize(2);
        // without a registered schema the list would be atomic and b's apply would conflict with a
        FieldManager untyped = new FieldManager(new Schemas((owner, field) -> Optional.empty()));
        ObjectNode plain = untyped.apply(widgets, "", null, obj("{'apiVersion':'example.com/v1','kind':'Widget',"
                + "'metadata':{'name':'w'},'spec':{'ports':[{'name':'http','port':80}]}}"), "a", false, now);
        assertThatThrownBy(() -> untyped.apply(widgets, "", plain, obj("{'apiVersion':'example.com/v1',"
                + "'kind':'Widget','metadata':{'name':'w'},'spec':{'ports':[{'name':'grpc','port':90}]}}"), "b",
                false, now)).hasMessageContaining(".spec.ports");
    }
}
