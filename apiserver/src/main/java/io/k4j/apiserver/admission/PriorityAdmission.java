package io.k4j.apiserver.admission;

import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.PriorityClasses;
import java.util.Comparator;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's Priority plugin. A new pod gets spec.priority and spec.preemptionPolicy from its PriorityClass, or
 * from the global default class when it names none (whose name it then gets too), or 0 and PreemptLowerPriority
 * when there is no default; a pod may not bring values of its own that disagree. Updates keep what creation
 * set. A PriorityClass may become the global default only while no other class is.
 */
public final class PriorityAdmission implements MutatingAdmission, ValidatingAdmission {

    static final ObjectLookup.Resource PRIORITY_CLASSES =
            new ObjectLookup.Resource("scheduling.k8s.io", "v1", "priorityclasses");

    /** What a pod's priority comes to: the class name ("" for none), its value and preemption policy. */
    private record Resolved(String className, int priority, String preemptionPolicy) {
        static final Resolved NO_DEFAULT_CLASS = new Resolved("", 0, PriorityClasses.PREEMPT_LOWER_PRIORITY);

        static Resolved of(ObjectNode priorityClass) {
            JsonNode policy = priorityClass.get("preemptionPolicy");
            return new Resolved(priorityClass.path("metadata").path("name").asString(""),
                    priorityClass.path("value").asInt(0), policy == null ? null : policy.asString());
        }
    }

    @Override
    public boolean handles(Attributes attributes) {
        return isPods(attributes) || attributes.isResource("scheduling.k8s.io", "priorityclasses");
    }

    private static boolean isPods(Attributes attributes) {
        return attributes.isResource("", "pods");
    }

    @Override
    public void admit(Attributes attributes, ObjectLookup lookup) {
        if (!isPods(attributes)) {
            return;
        }
        ObjectNode spec = Json.child(attributes.object(), "spec");
        if (attributes.operation() == Operation.UPDATE) {
            keepFromOld(spec, attributes.old().path("spec"));
            return;
        }
        Resolved resolved = resolve(attributes, spec.path("priorityClassName").asString(""), lookup);
        if (!resolved.className().isEmpty()) {
            spec.put("priorityClassName", resolved.className());
        }
        JsonNode given = spec.get("priority");
        if (given != null && !given.isNull() && given.asLong() != resolved.priority()) {
            throw AdmissionPlugin.forbidden(attributes, "the integer value of priority (" + given.asLong()
                    + ") must not be provided in pod spec; priority admission controller computed "
                    + resolved.priority() + " from the given PriorityClass name");
        }
        spec.put("priority", resolved.priority()); // int32 upstream; an int also equals what stored JSON parses back to
        if (resolved.preemptionPolicy() != null) {
            String givenPolicy = spec.path("preemptionPolicy").asString("");
            if (!givenPolicy.isEmpty() && !givenPolicy.equals(resolved.preemptionPolicy())) {
                throw AdmissionPlugin.forbidden(attributes, "the string value of PreemptionPolicy (" + givenPolicy
                        + ") must not be provided in pod spec; priority admission controller computed "
                        + resolved.preemptionPolicy() + " from the given PriorityClass name");
            }
            spec.put("preemptionPolicy", resolved.preemptionPolicy());
        }
    }

    /** An update that leaves out what creation computed gets it back (validation keeps it from changing). */
    private static void keepFromOld(ObjectNode spec, JsonNode oldSpec) {
        for (String field : new String[] {"priority", "preemptionPolicy"}) {
            if (!spec.has(field) && oldSpec.has(field)) {
                spec.set(field, oldSpec.get(field).deepCopy());
            }
        }
    }

    private static Resolved resolve(Attributes attributes, String className, ObjectLookup lookup) {
        if (className.isEmpty()) {
            return globalDefault(lookup).map(Resolved::of).orElse(Resolved.NO_DEFAULT_CLASS);
        }
        return lookup.get(PRIORITY_CLASSES, "", className).map(Resolved::of).orElseThrow(() ->
                AdmissionPlugin.forbidden(attributes, "no PriorityClass with name " + className + " was found"));
    }

    /** The global default class; should a race have made several, the lowest one, as upstream. */
    private static Optional<ObjectNode> globalDefault(ObjectLookup lookup) {
        return lookup.list(PRIORITY_CLASSES, "").stream()
                .filter(priorityClass -> priorityClass.path("globalDefault").asBoolean(false))
                .min(Comparator.comparingLong(priorityClass -> priorityClass.path("value").asLong(0)));
    }

    @Override
    public void validate(Attributes attributes, ObjectLookup lookup) {
        if (isPods(attributes) || !attributes.object().path("globalDefault").asBoolean(false)) {
            return;
        }
        Optional<ObjectNode> existing = globalDefault(lookup);
        if (existing.isEmpty()) {
            return;
        }
        String existingName = existing.get().path("metadata").path("name").asString("");
        if (attributes.operation() == Operation.CREATE || !existingName.equals(attributes.name())) {
            throw AdmissionPlugin.forbidden(attributes, "PriorityClass " + existingName
                    + " is already marked as default. Only one default can exist");
        }
    }
}
