package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.ApiException.Cause;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Per-resource behaviour, as upstream's registry strategies: defaulting, validation, and what an update may
 * change. The generic layer handles metadata (uid, timestamps, resourceVersion, generation, names), so
 * strategies only deal with the kind's own fields.
 */
public interface ResourceStrategy {

    /** Fills defaults on a new object before validation. */
    default void prepareForCreate(ObjectNode object) {
    }

    /** Fills defaults on an updated object; {@code old} is the stored version. */
    default void prepareForUpdate(ObjectNode object, ObjectNode old) {
        prepareForCreate(object);
    }

    /** Fills defaults on an object a subresource (binding, finalize) writes; by default as for an update. */
    default void prepareForSubresourceUpdate(String subresource, ObjectNode object, ObjectNode old) {
        prepareForUpdate(object, old);
    }

    /** The field errors of an object, empty when valid. */
    default List<Cause> validate(ObjectNode object) {
        return List.of();
    }

    /** The field errors of an update; by default the same as for a create. */
    default List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return validate(object);
    }

    /** Whether names must be DNS-1123 labels (namespaces, services) rather than subdomains. */
    default boolean namesAreLabels() {
        return false;
    }

    /**
     * An object read from storage as clients must see it, or null when it is served as stored (the common case,
     * which lets lists and watches share the cached JSON). Custom resources use it for read-time defaults and for
     * the apiVersion of the version asked for.
     */
    default ObjectNode prepareForRead(ObjectNode stored) {
        return null;
    }

    /** Whether {@link #prepareForRead} may change anything; when not, lists and watches never ask it. */
    default boolean rewritesReads() {
        return false;
    }

    /** Changes an object about to be deleted for the first time, such as adding a finalizer; false for no change. */
    default boolean prepareForDelete(ObjectNode object) {
        return false;
    }

    /** The table columns of this resource, or null for those of its kind (see TableConvertors). */
    default io.k4j.apiserver.table.TableConvertor tableConvertor() {
        return null;
    }

    /** Where the scale subresource finds replicas and the selector; null for spec.replicas, status.replicas, spec.selector. */
    default ScalePaths scalePaths() {
        return null;
    }

    /** Whether strategic merge patches apply (false for custom resources, which have no patch strategies: 415). */
    default boolean supportsStrategicMergePatch() {
        return true;
    }

    /** The field labels field selectors may use, or null for those of the kind (see FieldLabels#forKind). */
    default io.k4j.apiserver.selection.FieldLabels fieldLabels() {
        return null;
    }

    /** JSON paths such as ".spec.replicas"; labelSelector may be null. */
    record ScalePaths(String specReplicas, String statusReplicas, String labelSelector) {
    }

    /** The strategy of resources with nothing special. */
    ResourceStrategy DEFAULT = new ResourceStrategy() {
    };
}
