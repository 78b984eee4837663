package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deployments: a workload with upstream's Deployment defaults (a RollingUpdate strategy with 25% maxSurge and
 * maxUnavailable, a 600 s progress deadline) and the strategy's validation.
 */
final class DeploymentStrategy implements ResourceStrategy {

    private final ResourceStrategy workload = new BuiltinStrategies.WorkloadStrategy(true, 1, true);

    @Override
    public void prepareForCreate(ObjectNode deployment) {
        workload.prepareForCreate(deployment);
        ObjectNode spec = Json.child(deployment, "spec");
        ObjectNode strategy = Json.child(spec, "strategy");
        if (!strategy.has("type")) {
            strategy.put("type", "RollingUpdate");
        }
        if ("RollingUpdate".equals(strategy.path("type").asString(""))) {
            ObjectNode rollingUpdate = Json.child(strategy, "rollingUpdate");
            if (!rollingUpdate.has("maxUnavailable")) {
                rollingUpdate.put("maxUnavailable", "25%");
            }
            if (!rollingUpdate.has("maxSurge")) {
                rollingUpdate.put("maxSurge", "25%");
            }
        }
        if (!spec.has("progressDeadlineSeconds")) {
            spec.put("progressDeadlineSeconds", 600);
        }
    }

    @Override
    public List<Cause> validate(ObjectNode deployment) {
        List<Cause> causes = new ArrayList<>(workload.validate(deployment));
        JsonNode strategy = deployment.path("spec").path("strategy");
        String type = strategy.path("type").asString("");
        if (!type.equals("RollingUpdate") && !type.equals("Recreate")) {
            causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + type
                    + "\": supported values: \"Recreate\", \"RollingUpdate\"", "spec.strategy.type"));
        }
        if (type.equals("Recreate") && strategy.has("rollingUpdate") && !strategy.get("rollingUpdate").isNull()) {
            causes.add(new Cause("FieldValueForbidden",
                    "Forbidden: may not be specified when strategy `type` is 'Recreate'", "spec.strategy.rollingUpdate"));
        }
        JsonNode rolling = strategy.path("rollingUpdate");
        if (type.equals("RollingUpdate") && isZero(rolling.path("maxSurge")) && isZero(rolling.path("maxUnavailable"))) {
            causes.add(Cause.invalid("spec.strategy.rollingUpdate.maxUnavailable",
                    rolling.path("maxUnavailable").asString(""), "may not be 0 when `maxSurge` is 0"));
        }
        return causes;
    }

    private static boolean isZero(JsonNode value) {
        return (value.isNumber() && value.asInt() == 0) || "0%".equals(value.asString(""));
    }
}
