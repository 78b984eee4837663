package io.k4j.apiserver.storage;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a DELETE's propagation policy means for the object, as upstream's registry: Foreground adds the
 * {@code foregroundDeletion} finalizer and Orphan the {@code orphan} finalizer, which the garbage collector removes
 * once it has deleted or released the dependents; Background adds neither (the collector deletes the dependents
 * after the owner is gone). Without a policy, a finalizer already on the object decides, then the resource's default.
 */
final class DeletionPropagation {

    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";

    private DeletionPropagation() {
    }

    /** Sets the object's garbage collection finalizers for this delete; true if they changed. */
    static boolean applyFinalizers(ResourceDefinition definition, ObjectNode object, DeleteOptions options) {
        List<String> before = finalizers(object);
        List<String> after = new ArrayList<>(before);
        boolean orphan = orphans(definition, before, options.propagationPolicy());
        boolean foreground = !orphan && foreground(before, options.propagationPolicy());
        setPresent(after, ORPHAN, orphan);
        setPresent(after, FOREGROUND, foreground);
        if (after.equals(before)) {
            return false;
        }
        ObjectNode metadata = Json.metadata(object);
        if (after.isEmpty()) {
            metadata.remove("finalizers");
        } else {
            ArrayNode array = metadata.putArray("finalizers");
            after.forEach(array::add);
        }
        return true;
    }

    private static boolean orphans(ResourceDefinition definition, List<String> finalizers, String policy) {
        if (policy != null && !policy.isEmpty()) {
            return policy.equals("Orphan");
        }
        if (finalizers.contains(ORPHAN)) {
            return true;
        }
        if (finalizers.contains(FOREGROUND)) {
            return false;
        }
        return orphansByDefault(definition);
    }

    private static boolean foreground(List<String> finalizers, String policy) {
        if (policy != null && !policy.isEmpty()) {
            return policy.equals("Foreground");
        }
        return finalizers.contains(FOREGROUND);
    }

    /** ReplicationControllers (v1) and Jobs (batch/v1) orphan by default for backwards compatibility, as upstream. */
    private static boolean orphansByDefault(ResourceDefinition definition) {
        return definition.group().isEmpty() && definition.plural().equals("replicationcontrollers")
                || definition.group().equals("batch") && definition.version().equals("v1")
                && definition.plural().equals("jobs");
    }

    private static void setPresent(List<String> finalizers, String finalizer, boolean present) {
        if (present && !finalizers.contains(finalizer)) {
            finalizers.add(finalizer);
        } else if (!present) {
            finalizers.remove(finalizer);
        }
    }

    private static List<String> finalizers(JsonNode object) {
        List<String> list = new ArrayList<>();
        object.path("metadata").path("finalizers").forEach(f -> list.add(f.asString("")));
        return list;
    }
}
