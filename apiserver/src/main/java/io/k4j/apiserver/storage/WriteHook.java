package io.k4j.apiserver.storage;

import io.k4j.apiserver.registry.ResourceDefinition;
import tools.jackson.databind.node.ObjectNode;

/**
 * Work that must happen with a write of some resource, such as allocating a Service's cluster IP. Hooks run
 * after validation and before the object is stored; a hook that throws stops the write.
 */
public interface WriteHook {

    /** Whether this hook cares about the resource. */
    boolean appliesTo(ResourceDefinition definition);

    /** Before a create is stored (not called for dry runs' side effects: {@code dryRun} says which). */
    default void beforeCreate(ObjectNode object, boolean dryRun) {
    }

    /** Before an update is stored. */
    default void beforeUpdate(ObjectNode object, ObjectNode old, boolean dryRun) {
    }

    /** After a create failed to be stored: give back what beforeCreate took. */
    default void createFailed(ObjectNode object) {
    }

    /** After an object was deleted from the store. */
    default void afterDelete(ObjectNode deleted) {
    }
}
