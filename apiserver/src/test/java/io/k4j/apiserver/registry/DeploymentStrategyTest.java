package io.k4j.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DeploymentStrategyTest {

    private final ResourceStrategy strategy = BuiltinStrategies.forKind("apps", "Deployment");

    private static ObjectNode deployment(String strategyJson) {
        return Json.parseObject(("""
                {"spec": {"selector": {"matchLabels": {"app": "web"}}, %s
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "app", "image": "nginx"}]}}}}
                """.formatted(strategyJson)).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void defaultsToARollingUpdateOf25PercentAndA600SecondDeadline() {
        ObjectNode d = deployment("");
        strategy.prepareForCreate(d);
        assertThat(Json.at(d, "spec", "strategy").toString())
                .isEqualTo("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}}");
        assertThat(Json.at(d, "spec", "progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(Json.at(d, "spec", "revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(Json.at(d, "spec", "replicas").asInt()).isEqualTo(1);
        assertThat(strategy.validate(d)).isEmpty();
    }

    @Test
    void recreateGetsNoRollingUpdateAndRejectsOne() {
        ObjectNode d = deployment("\"strategy\": {\"type\": \"Recreate\"},");
        strategy.prepareForCreate(d);
        assertThat(Json.at(d, "spec", "strategy").toString()).isEqualTo("{\"type\":\"Recreate\"}");
        ObjectNode both = deployment("\"strategy\": {\"type\": \"Recreate\", \"rollingUpdate\": {\"maxSurge\": 1}},");
        assertThat(strategy.validate(both)).extracting(c -> c.field()).containsExactly("spec.strategy.rollingUpdate");
    }

    @Test
    void surgeAndUnavailableMayNotBothBeZero() {
        ObjectNode d = deployment("\"strategy\": {\"rollingUpdate\": {\"maxSurge\": 0, \"maxUnavailable\": \"0%\"}},");
        strategy.prepareForCreate(d);
        assertThat(strategy.validate(d)).extracting(c -> c.message())
                .containsExactly("Invalid value: \"0%\": may not be 0 when `maxSurge` is 0");
        ObjectNode bad = deployment("\"strategy\": {\"type\": \"Sideways\"},");
        assertThat(strategy.validate(bad)).extracting(c -> c.reason()).containsExactly("FieldValueNotSupported");
    }
}
