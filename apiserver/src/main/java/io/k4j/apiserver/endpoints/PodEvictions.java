package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.selection.LabelSelector;
import io.k4j.apiserver.storage.DeleteOptions;
import io.k4j.apiserver.storage.ObjectMeta;
import io.k4j.apiserver.storage.ObjectStorage;
import java.time.InstantSource;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's eviction subresource: a pod goes only if its PodDisruptionBudget allows one more disruption, which
 * the eviction takes by decrementing the budget's disruptionsAllowed and recording the pod in disruptedPods (until
 * the disruption controller sees the pod go); otherwise 429 TooManyRequests, which clients such as kubectl drain
 * retry. Pods that are not running yet, finished or already being deleted skip the budget, as do pods that are not
 * ready when the budget is healthy anyway (or its unhealthyPodEvictionPolicy is AlwaysAllow).
 */
final class PodEvictions {

    static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
    static final int MAX_DISRUPTED_PODS = 2000;
    private static final int ATTEMPTS = 5;

    private final ObjectStorage storage;
    private final InstantSource clock;

    PodEvictions(ObjectStorage storage, InstantSource clock) {
        this.storage = storage;
        this.clock = clock;
    }

    void evict(ResourceDefinition pods, String namespace, String name, DeleteOptions options) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode pod = storage.get(pods, namespace, name);
            try {
                if (!canIgnoreBudgets(pod)) {
                    takeDisruption(pod, namespace, options.dryRun());
                }
                break;
            } catch (ApiException e) {
                if (e.code() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
        if (!options.dryRun()) {
            markDisruptionTarget(pods, namespace, name);
        }
        storage.delete(pods, namespace, name, options);
    }

    private static boolean canIgnoreBudgets(ObjectNode pod) {
        String phase = pod.path("status").path("phase").asString("");
        return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
                || ObjectMeta.isDeleting(pod);
    }

    private void takeDisruption(ObjectNode pod, String namespace, boolean dryRun) {
        ResourceDefinition budgets = storage.definition("policy", "v1", "poddisruptionbudgets");
        List<ObjectNode> matching = storage.list(budgets, namespace).stream().filter(pdb -> selects(pdb, pod)).toList();
        if (matching.isEmpty()) {
            return;
        }
        if (matching.size() > 1) {
            throw new ApiException(500, "InternalError",
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        ObjectNode pdb = matching.getFirst();
        String pdbName = ObjectMeta.name(pdb);
        JsonNode status = pdb.path("status");
        boolean ready = isReady(pod);
        if (!ready && "AlwaysAllow".equals(pdb.path("spec").path("unhealthyPodEvictionPolicy").asString(""))) {
            return;
        }
        if (status.path("observedGeneration").asLong(0) < pdb.path("metadata").path("generation").asLong(0)) {
            throw tooManyRequests("The disruption budget " + pdbName + " is still being processed by the server.", 10);
        }
        int allowed = status.path("disruptionsAllowed").asInt(0);
        int currentHealthy = status.path("currentHealthy").asInt(0);
        int desiredHealthy = status.path("desiredHealthy").asInt(0);
        if (!ready && currentHealthy >= desiredHealthy && desiredHealthy > 0) {
            return; // an unready pod of a healthy budget does not count towards it
        }
        if (allowed < 0) {
            throw ApiException.forbidden("pdb disruptions allowed is negative");
        }
        if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
            throw ApiException.forbidden("DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0) {
            throw tooManyRequests(deniedBecause(pdbName, status, desiredHealthy, currentHealthy), 0);
        }
        if (dryRun) {
            return;
        }
        String version = ObjectMeta.resourceVersion(pdb);
        String podName = ObjectMeta.name(pod);
        storage.update(budgets, namespace, pdbName, "status", current -> {
            Json.metadata(current).put("resourceVersion", version); // conflicts with a concurrent eviction
            ObjectNode currentStatus = Json.child(current, "status");
            currentStatus.put("disruptionsAllowed", allowed - 1);
            if (allowed - 1 == 0) {
                insufficientPods(currentStatus);
            }
            Json.child(currentStatus, "disruptedPods").put(podName, ObjectMeta.timestamp(clock.instant()));
            return current;
        }, false);
    }

    /** As upstream: an empty selector selects every pod of the namespace, a missing one none. */
    private static boolean selects(ObjectNode pdb, ObjectNode pod) {
        JsonNode selector = pdb.path("spec").path("selector");
        if (selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        return LabelSelector.fromLabelSelectorObject(selector).matches(pod);
    }

    private static boolean isReady(ObjectNode pod) {
        for (JsonNode condition : pod.path("status").path("conditions")) {
            if ("Ready".equals(condition.path("type").asString(""))) {
                return "True".equals(condition.path("status").asString(""));
            }
        }
        return false;
    }

    /** Upstream adds the DisruptionTarget condition before deleting, so the pod's controllers know why it went. */
    private void markDisruptionTarget(ResourceDefinition pods, String namespace, String name) {
        storage.update(pods, namespace, name, "status", pod -> {
            if (canIgnoreBudgets(pod) && !pod.path("status").path("phase").asString("").equals("Pending")) {
                return pod;
            }
            ObjectNode status = Json.child(pod, "status");
            ArrayNode conditions = status.get("conditions") instanceof ArrayNode existing ? existing
                    : status.putArray("conditions");
            for (int i = conditions.size() - 1; i >= 0; i--) {
                if ("DisruptionTarget".equals(conditions.get(i).path("type").asString(""))) {
                    conditions.remove(i);
                }
            }
            ObjectNode condition = conditions.addObject();
            condition.put("type", "DisruptionTarget");
            condition.put("status", "True");
            condition.put("lastTransitionTime", ObjectMeta.timestamp(clock.instant()));
            condition.put("reason", "EvictionByEvictionAPI");
            condition.put("message", "Eviction API: evicting");
            return pod;
        }, false);
    }

    /** Upstream's reason for a refusal, most specific first: a failed sync, too few healthy pods, the condition. */
    private static String deniedBecause(String pdbName, JsonNode status, int desiredHealthy, int currentHealthy) {
        JsonNode condition = allowedCondition(status);
        boolean falseWithMessage = condition != null && "False".equals(condition.path("status").asString(""))
                && !condition.path("message").asString("").isEmpty();
        String reason = condition == null ? "" : condition.path("reason").asString("");
        if (falseWithMessage && "SyncFailed".equals(reason)) {
            return "The disruption budget " + pdbName + " does not allow evicting pods currently because it failed sync: "
                    + condition.path("message").asString("");
        }
        if (currentHealthy <= desiredHealthy) {
            return "The disruption budget " + pdbName + " needs " + desiredHealthy + " healthy pods and has "
                    + currentHealthy + " currently";
        }
        if (falseWithMessage) {
            return "The disruption budget " + pdbName + " does not allow evicting pods currently (" + reason + "): "
                    + condition.path("message").asString("");
        }
        return "The disruption budget " + pdbName + " does not allow evicting pods currently";
    }

    private static JsonNode allowedCondition(JsonNode status) {
        for (JsonNode condition : status.path("conditions")) {
            if ("DisruptionAllowed".equals(condition.path("type").asString(""))) {
                return condition;
            }
        }
        return null;
    }

    /** As upstream, the eviction that takes the last allowed disruption turns DisruptionAllowed False itself. */
    private void insufficientPods(ObjectNode status) {
        JsonNode existing = allowedCondition(status);
        ObjectNode condition;
        if (existing instanceof ObjectNode found) {
            condition = found;
        } else {
            ArrayNode conditions = status.get("conditions") instanceof ArrayNode list ? list : status.putArray("conditions");
            condition = conditions.addObject();
            condition.put("type", "DisruptionAllowed");
        }
        if (!"False".equals(condition.path("status").asString(""))) {
            condition.put("lastTransitionTime", ObjectMeta.timestamp(clock.instant()));
        }
        condition.put("status", "False");
        condition.put("reason", "InsufficientPods");
        condition.put("message", "");
    }

    private static ApiException tooManyRequests(String cause, int retryAfterSeconds) {
        return new ApiException(429, "TooManyRequests", VIOLATION, new ApiException.Details(null, null, null,
                List.of(new ApiException.Cause("DisruptionBudget", cause, null))), retryAfterSeconds);
    }
}
