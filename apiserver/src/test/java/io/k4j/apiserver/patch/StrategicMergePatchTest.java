package io.k4j.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The cases of upstream's strategic-merge-patch document, and what kubectl sends. */
class StrategicMergePatchTest {

    static ObjectNode obj(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode pod(String spec) {
        return obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','b':'2'},"
                + "'finalizers':['a','b','c']},'spec':" + spec + "}");
    }

    static ObjectNode deployment(String spec) {
        return obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':" + spec + "}");
    }

    static ObjectNode patch(ObjectNode original, String patch) {
        return StrategicMergePatch.apply(original, obj(patch));
    }

    static JsonNode at(JsonNode node, String pointer) {
        return node.at(pointer);
    }

    private static final String TWO_CONTAINERS = "{'containers':[{'name':'nginx','image':'nginx-1.0','ports':"
            + "[{'containerPort':80}]},{'name':'log-tailer','image':'log-tailer-1.0'}]}";

    @Test
    void containersMergeByName() {
        ObjectNode original = pod("{'containers':[{'name':'nginx','image':'nginx-1.0','ports':[{'containerPort':80}]}]}");
        ObjectNode result = patch(original, "{'spec':{'containers':[{'name':'log-tailer','image':'log-tailer-1.0'}]}}");
        assertThat(at(result, "/spec/containers")).isEqualTo(obj("{'l':[{'name':'nginx','image':'nginx-1.0','ports':"
                + "[{'containerPort':80}]},{'name':'log-tailer','image':'log-tailer-1.0'}]}").get("l"));
        assertThat(at(original, "/spec/containers").size()).as("the original is untouched").isEqualTo(1);

        ObjectNode updated = patch(result, "{'spec':{'containers':[{'name':'nginx','image':'nginx-2.0'}]}}");
        assertThat(at(updated, "/spec/containers/0/image").asString()).isEqualTo("nginx-2.0");
        assertThat(at(updated, "/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(80);
        assertThat(at(updated, "/spec/containers/1/name").asString()).isEqualTo("log-tailer");
    }

    @Test
    void portsAndEnvMergeByTheirKeys() {
        ObjectNode original = deployment("{'template':{'spec':{'containers':[{'name':'app','image':'i',"
                + "'ports':[{'containerPort':80}],'env':[{'name':'A','value':'1'}]}]}}}");
        ObjectNode result = patch(original, "{'spec':{'template':{'spec':{'containers':[{'name':'app',"
                + "'ports':[{'containerPort':8080,'name':'alt'}],'env':[{'name':'B','value':'2'},{'name':'A','value':'3'}]}]}}}}");
        JsonNode container = at(result, "/spec/template/spec/containers/0");
        assertThat(container.path("image").asString()).isEqualTo("i");
        assertThat(container.path("ports")).hasSize(2);
        assertThat(container.at("/ports/1/name").asString()).isEqualTo("alt");
        assertThat(container.path("env")).isEqualTo(obj("{'l':[{'name':'A','value':'3'},{'name':'B','value':'2'}]}").get("l"));
    }

    @Test
    void replaceDirectiveInAList() {
        ObjectNode result = patch(pod(TWO_CONTAINERS),
                "{'spec':{'containers':[{'name':'nginx','image':'nginx-1.0'},{'$patch':'replace'}]}}");
        assertThat(at(result, "/spec/containers")).isEqualTo(obj("{'l':[{'name':'nginx','image':'nginx-1.0'}]}").get("l"));
    }

    @Test
    void replaceDirectiveOnAMap() {
        ObjectNode result = patch(pod(TWO_CONTAINERS), "{'metadata':{'labels':{'$patch':'replace','c':'3'}}}");
        assertThat(at(result, "/metadata/labels")).isEqualTo(obj("{'c':'3'}"));
        assertThat(at(result, "/metadata/name").asString()).isEqualTo("p");
    }

    @Test
    void deleteDirectiveInAListRemovesByMergeKey() {
        ObjectNode result = patch(pod(TWO_CONTAINERS),
                "{'spec':{'containers':[{'name':'nginx','image':'nginx-1.1'},{'$patch':'delete','name':'log-tailer'}]}}");
        assertThat(at(result, "/spec/containers")).hasSize(1);
        assertThat(at(result, "/spec/containers/0/image").asString()).isEqualTo("nginx-1.1");
    }

    @Test
    void deleteDirectiveWithoutTheMergeKeyIsABadRequest() {
        assertThatThrownBy(() -> patch(pod(TWO_CONTAINERS), "{'spec':{'containers':[{'$patch':'delete','image':'x'}]}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessageContaining("does not contain declared merge key: name");
    }

    @Test
    void deleteDirectiveOnAMapAndNullRemoveIt() {
        ObjectNode original = deployment("{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}");
        assertThat(at(patch(original, "{'spec':{'strategy':{'rollingUpdate':{'$patch':'delete'}}}}"), "/spec/strategy"))
                .isEqualTo(obj("{'type':'RollingUpdate'}"));
        assertThat(at(patch(original, "{'spec':{'strategy':{'rollingUpdate':null}}}"), "/spec/strategy"))
                .isEqualTo(obj("{'type':'RollingUpdate'}"));
    }

    @Test
    void nullDeletesAMapKey() {
        ObjectNode result = patch(pod(TWO_CONTAINERS), "{'metadata':{'labels':{'a':null,'c':'3','absent':null}}}");
        assertThat(at(result, "/metadata/labels")).isEqualTo(obj("{'b':'2','c':'3'}"));
    }

    @Test
    void primitiveListWithMergeStrategyIsAUnion() {
        ObjectNode result = patch(pod(TWO_CONTAINERS), "{'metadata':{'finalizers':['b','d','d']}}");
        assertThat(at(result, "/metadata/finalizers")).isEqualTo(obj("{'l':['a','b','c','d']}").get("l"));
    }

    @Test
    void deleteFromPrimitiveList() {
        ObjectNode result = patch(pod(TWO_CONTAINERS), "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b','c']}}");
        assertThat(at(result, "/metadata/finalizers")).isEqualTo(obj("{'l':['a']}").get("l"));
    }

    @Test
    void setElementOrderOfPrimitives() {
        ObjectNode result = patch(pod(TWO_CONTAINERS), "{'metadata':{'$setElementOrder/finalizers':['b','c','a']}}");
        assertThat(at(result, "/metadata/finalizers")).isEqualTo(obj("{'l':['b','c','a']}").get("l"));
    }

    @Test
    void setElementOrderOfMaps() {
        ObjectNode original = pod("{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'},{'name':'c','image':'3'}]}");
        ObjectNode result = patch(original,
                "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'c'},{'name':'a'}]}}");
        assertThat(at(result, "/spec/containers")).isEqualTo(obj("{'l':[{'name':'b','image':'2'},{'name':'c',"
                + "'image':'3'},{'name':'a','image':'1'}]}").get("l"));
        assertThat(result.toString()).doesNotContain("$setElementOrder");
    }

    @Test
    void setElementOrderPlacesNewElementsAsListed() {
        // What kubectl sends when a file inserts env var B between A and C.
        ObjectNode original = deployment("{'template':{'spec':{'containers':[{'name':'app','env':"
                + "[{'name':'A','value':'1'},{'name':'C','value':'3'}]}]}}}");
        ObjectNode result = patch(original, "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'app'}],"
                + "'containers':[{'name':'app','$setElementOrder/env':[{'name':'A'},{'name':'B'},{'name':'C'}],"
                + "'env':[{'name':'B','value':'2'}]}]}}}}");
        assertThat(at(result, "/spec/template/spec/containers/0/env")).isEqualTo(obj("{'l':[{'name':'A','value':'1'},"
                + "{'name':'B','value':'2'},{'name':'C','value':'3'}]}").get("l"));
    }

    @Test
    void setElementOrderKeepsServerOnlyElementsAmongTheirNeighbours() {
        ObjectNode original = pod("{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}");
        ObjectNode result = patch(original, "{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'a'}]}}");
        assertThat(at(result, "/spec/containers")).isEqualTo(obj("{'l':[{'name':'b'},{'name':'c'},{'name':'a'}]}").get("l"));
    }

    @Test
    void retainKeysClearsTheOtherMembersOfAUnion() {
        ObjectNode original = deployment("{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}");
        ObjectNode result = patch(original, "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
        assertThat(at(result, "/spec/strategy")).isEqualTo(obj("{'type':'Recreate'}"));
        assertThat(result.toString()).doesNotContain("$retainKeys");
    }

    @Test
    void retainKeysOnVolumesSwitchesTheSource() {
        ObjectNode original = pod("{'volumes':[{'name':'v','emptyDir':{}},{'name':'w','emptyDir':{}}]}");
        ObjectNode result = patch(original, "{'spec':{'volumes':[{'name':'v','$retainKeys':['hostPath','name'],"
                + "'hostPath':{'path':'/tmp'}}]}}");
        assertThat(at(result, "/spec/volumes")).isEqualTo(obj("{'l':[{'name':'v','hostPath':{'path':'/tmp'}},"
                + "{'name':'w','emptyDir':{}}]}").get("l"));
    }

    @Test
    void retainKeysMustNameEveryFieldThePatchSets() {
        ObjectNode original = deployment("{'strategy':{'type':'RollingUpdate'}}");
        assertThatThrownBy(() -> patch(original, "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{}}}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void listsWithoutAMergeKeyAreReplaced() {
        ObjectNode original = pod("{'tolerations':[{'key':'a','operator':'Exists'}],'containers':[{'name':'c',"
                + "'args':['x','y']}]}");
        ObjectNode result = patch(original, "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}],"
                + "'containers':[{'name':'c','args':['z']}]}}");
        assertThat(at(result, "/spec/tolerations")).isEqualTo(obj("{'l':[{'key':'b','operator':'Exists'}]}").get("l"));
        assertThat(at(result, "/spec/containers/0/args")).isEqualTo(obj("{'l':['z']}").get("l"));
    }

    @Test
    void aReplaceMarkerInAnAtomicListIsNoElement() {
        ObjectNode original = pod("{'tolerations':[{'key':'a','operator':'Exists'}]}");
        ObjectNode result = patch(original, "{'spec':{'tolerations':[{'key':'b','operator':'Exists'},{'$patch':'replace'}]}}");
        assertThat(at(result, "/spec/tolerations")).isEqualTo(obj("{'l':[{'key':'b','operator':'Exists'}]}").get("l"));
    }

    @Test
    void unknownDirectivesAreBadRequests() {
        assertThatThrownBy(() -> patch(pod(TWO_CONTAINERS), "{'metadata':{'labels':{'$patch':'frobnicate'}}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> patch(pod(TWO_CONTAINERS), "{'spec':{'containers':[{'name':'x','$patch':'merge'}]}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> patch(pod(TWO_CONTAINERS), "{'spec':{'containers':[{'image':'no-name'}]}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessageContaining("does not contain declared merge key: name");
    }

    @Test
    void servicePortsMergeByPort() {
        ObjectNode original = obj("{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':{'ports':"
                + "[{'port':80,'targetPort':8080,'name':'http'}]}}");
        ObjectNode result = patch(original, "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443,'name':'https'}]}}");
        assertThat(at(result, "/spec/ports")).isEqualTo(obj("{'l':[{'port':80,'targetPort':9090,'name':'http'},"
                + "{'port':443,'name':'https'}]}").get("l"));
    }

    @Test
    void untypedMapsMergeLikeMergePatch() {
        ObjectNode original = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1','b':'2'}}");
        ObjectNode result = patch(original, "{'data':{'a':null,'c':'3'}}");
        assertThat(result.get("data")).isEqualTo(obj("{'b':'2','c':'3'}"));
    }

    @Test
    void newElementsLoseTheirDirectives() {
        ObjectNode original = pod("{'containers':[{'name':'a'}]}");
        ObjectNode result = patch(original, "{'spec':{'containers':[{'name':'b','$setElementOrder/env':[{'name':'X'}],"
                + "'env':[{'name':'X','value':'1'}],'image':null}]}}");
        assertThat(at(result, "/spec/containers/1")).isEqualTo(obj("{'name':'b','env':[{'name':'X','value':'1'}]}"));
    }

    @Test
    void resourceVersionInThePatchIsKeptForThePrecondition() {
        ObjectNode original = pod(TWO_CONTAINERS);
        original.withObject("/metadata").put("resourceVersion", "7");
        assertThat(at(patch(original, "{'metadata':{'resourceVersion':'5'}}"), "/metadata/resourceVersion").asString())
                .isEqualTo("5");
    }

    @Test
    void customResourcesAreRefusedWith415() {
        for (String apiVersion : new String[] {"example.com/v1", "gateway.networking.k8s.io/v1"}) {
            ObjectNode original = obj("{'apiVersion':'" + apiVersion + "','kind':'HTTPRoute','metadata':{'name':'x'}}");
            assertThatThrownBy(() -> patch(original, "{'spec':{}}"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(415);
                        assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
                    });
        }
    }

    @Test
    void scaleSubresourceObjectsArePatchable() {
        ObjectNode scale = obj("{'apiVersion':'autoscaling/v1','kind':'Scale','metadata':{'name':'d'},"
                + "'spec':{'replicas':1}}");
        assertThat(at(patch(scale, "{'spec':{'replicas':3}}"), "/spec/replicas").asInt()).isEqualTo(3);
    }

    @Test
    void conditionsMergeByType() {
        ObjectNode original = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'status':"
                + "{'conditions':[{'type':'Available','status':'False'},{'type':'Progressing','status':'True'}]}}");
        ObjectNode result = patch(original, "{'status':{'conditions':[{'type':'Available','status':'True'}]}}");
        assertThat(at(result, "/status/conditions")).isEqualTo(obj("{'l':[{'type':'Available','status':'True'},"
                + "{'type':'Progressing','status':'True'}]}").get("l"));
    }
}
