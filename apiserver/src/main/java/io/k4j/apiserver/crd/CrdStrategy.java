package io.k4j.apiserver.crd;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceStrategy;
import io.k4j.apiserver.storage.ObjectMeta;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The strategy of customresourcedefinitions: upstream's defaults (singular, listKind, conversion None), a fresh
 * status with the storage version recorded, the validation of {@link CrdValidation}, and on the first delete the
 * cleanup finalizer and the Terminating condition, which {@link CustomResourceDefinitions} then works off.
 */
final class CrdStrategy implements ResourceStrategy {

    static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private final InstantSource clock;

    CrdStrategy(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public void prepareForCreate(ObjectNode crd) {
        applyDefaults(crd);
        ObjectNode status = crd.putObject("status");
        status.putArray("conditions");
        ObjectNode accepted = status.putObject("acceptedNames");
        accepted.put("plural", "");
        accepted.put("kind", "");
        ArrayNode stored = status.putArray("storedVersions");
        String storage = storageVersion(crd);
        if (storage != null) {
            stored.add(storage);
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode crd, ObjectNode old) {
        applyDefaults(crd);
        // Every version ever used for storage stays recorded until someone migrates and edits the status.
        String storage = storageVersion(crd);
        ArrayNode stored = array(Json.child(crd, "status"), "storedVersions");
        if (storage != null && !contains(stored, storage)) {
            stored.add(storage);
        }
    }

    @Override
    public List<Cause> validate(ObjectNode crd) {
        return CrdValidation.validate(crd);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode crd, ObjectNode old) {
        return CrdValidation.validateUpdate(crd, old);
    }

    @Override
    public boolean prepareForDelete(ObjectNode crd) {
        ArrayNode finalizers = array(Json.metadata(crd), "finalizers");
        if (!contains(finalizers, CLEANUP_FINALIZER)) {
            finalizers.add(CLEANUP_FINALIZER);
        }
        setCondition(crd, "Terminating", "True", "InstanceDeletionPending",
                "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
                ObjectMeta.timestamp(clock.instant()));
        return true;
    }

    static void applyDefaults(ObjectNode crd) {
        ObjectNode spec = Json.child(crd, "spec");
        ObjectNode names = Json.child(spec, "names");
        String kind = names.path("kind").asString("");
        if (names.path("singular").asString("").isEmpty() && !kind.isEmpty()) {
            names.put("singular", kind.toLowerCase(Locale.ROOT));
        }
        if (names.path("listKind").asString("").isEmpty() && !kind.isEmpty()) {
            names.put("listKind", kind + "List");
        }
        ObjectNode conversion = Json.child(spec, "conversion");
        if (!conversion.has("strategy")) {
            conversion.put("strategy", "None");
        }
        for (JsonNode version : spec.path("versions")) {
            if (version instanceof ObjectNode v) {
                for (JsonNode column : v.path("additionalPrinterColumns")) {
                    if (column instanceof ObjectNode c && !c.has("priority")) {
                        c.put("priority", 0);
                    }
                }
            }
        }
    }

    static String storageVersion(JsonNode crd) {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                return version.path("name").asString("");
            }
        }
        return null;
    }

    /** Sets a condition; its lastTransitionTime changes only when its status does. Returns whether anything did. */
    static boolean setCondition(ObjectNode crd, String type, String status, String reason, String message,
                                String now) {
        ArrayNode conditions = array(Json.child(crd, "status"), "conditions");
        for (JsonNode existing : conditions) {
            if (existing instanceof ObjectNode condition && type.equals(condition.path("type").asString(""))) {
                boolean changed = !status.equals(condition.path("status").asString(""))
                        || !reason.equals(condition.path("reason").asString(""))
                        || !message.equals(condition.path("message").asString(""));
                if (!status.equals(condition.path("status").asString(""))) {
                    condition.put("lastTransitionTime", now);
                }
                condition.put("status", status);
                condition.put("reason", reason);
                condition.put("message", message);
                return changed;
            }
        }
        ObjectNode condition = conditions.addObject();
        condition.put("type", type);
        condition.put("status", status);
        condition.put("lastTransitionTime", now);
        condition.put("reason", reason);
        condition.put("message", message);
        return true;
    }

    /** The array at a field, created if missing or not an array. */
    static ArrayNode array(ObjectNode parent, String field) {
        return parent.get(field) instanceof ArrayNode array ? array : parent.putArray(field);
    }

    static boolean contains(ArrayNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asString(""))) {
                return true;
            }
        }
        return false;
    }
}
