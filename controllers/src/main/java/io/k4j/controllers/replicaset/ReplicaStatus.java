package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status a ReplicaSet and a ReplicationController share (their types differ only in name), with the one
 * condition the controller manages, ReplicaFailure.
 */
public record ReplicaStatus(int replicas, int fullyLabeledReplicas, int readyReplicas, int availableReplicas,
        long observedGeneration, List<Condition> conditions) {

    public static final String REPLICA_FAILURE = "ReplicaFailure";

    public record Condition(String type, String status, String lastTransitionTime, String reason, String message) {
    }

    public ReplicaStatus {
        conditions = List.copyOf(conditions);
    }

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** Reads a ReplicaSetStatus or ReplicationControllerStatus (same fields, different classes); null is empty. */
    public static ReplicaStatus fromModel(Object status) {
        if (status == null) {
            return new ReplicaStatus(0, 0, 0, 0, 0, List.of());
        }
        Map<?, ?> json = JSON.convertValue(status, Map.class);
        List<Condition> conditions = new ArrayList<>();
        if (json.get("conditions") instanceof List<?> list) {
            for (Object item : list) {
                Map<?, ?> c = (Map<?, ?>) item;
                conditions.add(new Condition(text(c, "type"), text(c, "status"), text(c, "lastTransitionTime"),
                        text(c, "reason"), text(c, "message")));
            }
        }
        return new ReplicaStatus(number(json, "replicas"), number(json, "fullyLabeledReplicas"),
                number(json, "readyReplicas"), number(json, "availableReplicas"),
                json.get("observedGeneration") instanceof Number n ? n.longValue() : 0, conditions);
    }

    private static int number(Map<?, ?> json, String field) {
        return json.get(field) instanceof Number n ? n.intValue() : 0;
    }

    private static String text(Map<?, ?> json, String field) {
        Object value = json.get(field);
        return value == null ? null : value.toString();
    }

    public Condition condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
    }

    public ReplicaStatus withCondition(Condition condition) {
        List<Condition> updated = new ArrayList<>(withoutCondition(condition.type()).conditions);
        updated.add(condition);
        return new ReplicaStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration,
                updated);
    }

    public ReplicaStatus withoutCondition(String type) {
        return new ReplicaStatus(replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration,
                conditions.stream().filter(c -> !type.equals(c.type())).toList());
    }

    /** The status as the JSON object a merge patch of the status subresource carries (zeros omitted, as Go does). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("replicas", replicas);
        json.put("fullyLabeledReplicas", orNull(fullyLabeledReplicas));
        json.put("readyReplicas", orNull(readyReplicas));
        json.put("availableReplicas", orNull(availableReplicas));
        json.put("observedGeneration", observedGeneration == 0 ? null : observedGeneration);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Condition c : conditions) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", c.type());
            item.put("status", c.status());
            item.put("lastTransitionTime", c.lastTransitionTime());
            item.put("reason", c.reason());
            item.put("message", c.message());
            list.add(item);
        }
        json.put("conditions", list.isEmpty() ? null : list);
        return json;
    }

    private static Integer orNull(int value) {
        return value == 0 ? null : value;
    }
}
