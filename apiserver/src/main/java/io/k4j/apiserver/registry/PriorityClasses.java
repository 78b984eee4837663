package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PriorityClasses (scheduling.k8s.io/v1): the system classes every cluster has, and upstream's defaults and
 * validation (names starting with "system-" are reserved for those classes; user values stop at one billion).
 */
public final class PriorityClasses {

    public static final String PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";
    public static final long HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000L;
    public static final long SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
    private static final String SYSTEM_PREFIX = "system-";

    /** A class the API server creates at start; its description is upstream's. */
    public record SystemClass(String name, long value, String description) {
        /** The PriorityClass object, as the bootstrap creates it. */
        public ObjectNode toObject() {
            ObjectNode object = Json.object();
            object.put("apiVersion", "scheduling.k8s.io/v1");
            object.put("kind", "PriorityClass");
            object.putObject("metadata").put("name", name);
            object.put("value", value);
            object.put("description", description);
            object.put("preemptionPolicy", PREEMPT_LOWER_PRIORITY);
            return object;
        }
    }

    public static final List<SystemClass> SYSTEM = List.of(
            new SystemClass("system-node-critical", SYSTEM_CRITICAL_PRIORITY + 1000,
                    "Used for system critical pods that must not be moved from their current node."),
            new SystemClass("system-cluster-critical", SYSTEM_CRITICAL_PRIORITY,
                    "Used for system critical pods that must run in the cluster, but can be moved to another node "
                            + "if necessary."));

    private PriorityClasses() {
    }

    /** The strategy of the priorityclasses resource. */
    static final class Strategy implements ResourceStrategy {
        @Override
        public void prepareForCreate(ObjectNode priorityClass) {
            if (!priorityClass.has("preemptionPolicy")) {
                priorityClass.put("preemptionPolicy", PREEMPT_LOWER_PRIORITY);
            }
        }

        @Override
        public void prepareForUpdate(ObjectNode priorityClass, ObjectNode old) {
            prepareForCreate(priorityClass);
        }

        @Override
        public List<Cause> validate(ObjectNode priorityClass) {
            List<Cause> causes = new ArrayList<>();
            String name = priorityClass.path("metadata").path("name").asString("");
            long value = priorityClass.path("value").asLong(0);
            if (name.startsWith(SYSTEM_PREFIX)) {
                String error = systemClassError(name, value, priorityClass.path("globalDefault").asBoolean(false));
                if (error != null) {
                    causes.add(forbidden("metadata.name", "priority class names with '" + SYSTEM_PREFIX
                            + "' prefix are reserved for system use only. error: " + error));
                }
            } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
                causes.add(forbidden("value", "maximum allowed value of a user defined priority is "
                        + HIGHEST_USER_DEFINABLE_PRIORITY));
            }
            String policy = priorityClass.path("preemptionPolicy").asString("");
            if (!Set.of(PREEMPT_LOWER_PRIORITY, "Never").contains(policy)) {
                causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + policy
                        + "\": supported values: \"Never\", \"PreemptLowerPriority\"", "preemptionPolicy"));
            }
            return causes;
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode priorityClass, ObjectNode old) {
            List<Cause> causes = new ArrayList<>(validate(priorityClass));
            if (priorityClass.path("value").asLong(0) != old.path("value").asLong(0)) {
                causes.add(forbidden("value", "may not be changed in an update."));
            }
            JsonNode policy = priorityClass.path("preemptionPolicy");
            if (!Objects.equals(policy, old.path("preemptionPolicy"))) {
                causes.add(Cause.invalid("preemptionPolicy", policy.asString(""), "field is immutable"));
            }
            return causes;
        }
    }

    /** Why a "system-" class is not one of the system classes, or null when it is (upstream's wording). */
    private static String systemClassError(String name, long value, boolean globalDefault) {
        for (SystemClass known : SYSTEM) {
            if (known.name().equals(name)) {
                if (known.value() != value) {
                    return "value of " + name + " PriorityClass must be " + known.value();
                }
                return globalDefault ? "globalDefault of " + name + " PriorityClass must be false" : null;
            }
        }
        return name + " is not a known system priority class";
    }

    private static Cause forbidden(String field, String why) {
        return new Cause("FieldValueForbidden", "Forbidden: " + why, field);
    }
}
