package io.k4j.apiserver.admission;

import io.k4j.apiserver.registry.ResourceDefinition;
import tools.jackson.databind.node.ObjectNode;

/**
 * One write under admission, as upstream's admission.Attributes.
 *
 * @param object the object to be stored; mutating plugins change it in place
 * @param old    the stored object for an update, null for a create
 */
public record Attributes(Operation operation, ResourceDefinition definition, String namespace, ObjectNode object,
                         ObjectNode old) {

    public static Attributes create(ResourceDefinition definition, String namespace, ObjectNode object) {
        return new Attributes(Operation.CREATE, definition, namespace, object, null);
    }

    public static Attributes update(ResourceDefinition definition, String namespace, ObjectNode object,
                                    ObjectNode old) {
        return new Attributes(Operation.UPDATE, definition, namespace, object, old);
    }

    /** Whether this is a write of the given built-in resource, such as ("", "pods"). */
    public boolean isResource(String group, String plural) {
        return definition.group().equals(group) && definition.plural().equals(plural);
    }

    public String name() {
        return object.path("metadata").path("name").asString("");
    }
}
