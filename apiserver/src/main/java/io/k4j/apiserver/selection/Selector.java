package io.k4j.apiserver.selection;

import tools.jackson.databind.node.ObjectNode;

/** A predicate over stored objects: a label selector, a field selector, or both. */
@FunctionalInterface
public interface Selector {

    Selector EVERYTHING = object -> true;

    boolean matches(ObjectNode object);

    default Selector and(Selector other) {
        if (this == EVERYTHING) {
            return other;
        }
        if (other == EVERYTHING) {
            return this;
        }
        return object -> matches(object) && other.matches(object);
    }
}
