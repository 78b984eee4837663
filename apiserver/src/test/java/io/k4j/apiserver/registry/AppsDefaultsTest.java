package io.k4j.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class AppsDefaultsTest {

    private static final ResourceRegistry REGISTRY = ResourceRegistry.withBuiltins();

    private static ResourceStrategy strategy(String group, String plural) {
        return REGISTRY.strategy(REGISTRY.require(group, "v1", plural));
    }

    private static ObjectNode obj(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void statefulSetsGetUpstreamsRolloutDefaults() {
        ObjectNode set = obj("{'spec':{'template':{'spec':{}},'volumeClaimTemplates':[{'metadata':{'name':'www'},"
                + "'spec':{}}]}}");

        strategy("apps", "statefulsets").prepareForCreate(set);

        assertThat(set.path("spec").toString()).contains("\"podManagementPolicy\":\"OrderedReady\"",
                "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}",
                "\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"}",
                "\"replicas\":1", "\"revisionHistoryLimit\":10");
        assertThat(set.path("spec").path("volumeClaimTemplates").get(0).toString()).isEqualTo(
                "{\"metadata\":{\"name\":\"www\"},\"spec\":{\"volumeMode\":\"Filesystem\"},\"apiVersion\":\"v1\","
                        + "\"kind\":\"PersistentVolumeClaim\",\"status\":{\"phase\":\"Pending\"}}");
    }

    @Test
    void replicaSetsGetNoRevisionHistoryLimitTheyDoNotHave() {
        ObjectNode set = obj("{'spec':{'template':{'spec':{}}}}");

        strategy("apps", "replicasets").prepareForCreate(set);

        assertThat(set.path("spec").has("revisionHistoryLimit")).isFalse();
        assertThat(set.path("spec").path("replicas").asInt()).isEqualTo(1);
    }

    @Test
    void onDeleteStatefulSetsGetNoPartition() {
        ObjectNode set = obj("{'spec':{'updateStrategy':{'type':'OnDelete'},'template':{'spec':{}}}}");

        strategy("apps", "statefulsets").prepareForCreate(set);

        assertThat(set.path("spec").path("updateStrategy").toString()).isEqualTo("{\"type\":\"OnDelete\"}");
    }

    @Test
    void daemonSetsRollOneUnavailableAtATimeAndCountTemplateGenerations() {
        ResourceStrategy strategy = strategy("apps", "daemonsets");
        ObjectNode created = obj("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'a:1'}]}}}}");
        strategy.prepareForCreate(created);

        assertThat(created.path("spec").path("updateStrategy").toString())
                .isEqualTo("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":0}}");
        assertThat(created.path("metadata").path("annotations").path(AppsDefaults.TEMPLATE_GENERATION).asString())
                .isEqualTo("1");

        ObjectNode relabelled = created.deepCopy();
        relabelled.withObject("/metadata").withObject("/labels").put("team", "x");
        strategy.prepareForUpdate(relabelled, created);
        assertThat(relabelled.path("metadata").path("annotations").path(AppsDefaults.TEMPLATE_GENERATION).asString())
                .isEqualTo("1");

        ObjectNode newImage = created.deepCopy();
        ((ObjectNode) newImage.path("spec").path("template").path("spec").path("containers").get(0)).put("image", "a:2");
        strategy.prepareForUpdate(newImage, created);
        assertThat(newImage.path("metadata").path("annotations").path(AppsDefaults.TEMPLATE_GENERATION).asString())
                .isEqualTo("2");
    }

    @Test
    void claimsStartPending() {
        ObjectNode claim = obj("{'spec':{'accessModes':['ReadWriteOnce']}}");

        strategy("", "persistentvolumeclaims").prepareForCreate(claim);

        assertThat(claim.path("status").path("phase").asString()).isEqualTo("Pending");
        assertThat(claim.path("spec").path("volumeMode").asString()).isEqualTo("Filesystem");
    }
}
