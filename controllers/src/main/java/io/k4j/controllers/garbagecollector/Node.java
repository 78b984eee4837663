package io.k4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.k4j.controllers.discovery.ApiResource;
import java.util.List;

/**
 * What the collector knows of one object: who it is, whom it belongs to, and whether it is being deleted (and how:
 * a {@code foregroundDeletion} finalizer means its dependents go first, an {@code orphan} finalizer that they are
 * released first).
 */
record Node(String uid, String apiVersion, String kind, String namespace, String name, List<OwnerReference> owners,
        boolean beingDeleted, List<String> finalizers) {

    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";

    /** The node of an object of this resource (list items may come without apiVersion and kind). */
    static Node of(HasMetadata object, ApiResource resource) {
        return of(object, resource.apiVersion(), resource.kind());
    }

    /** The node of an object, with the apiVersion and kind to assume where it has none. */
    static Node of(HasMetadata object, String defaultApiVersion, String defaultKind) {
        ObjectMeta meta = object.getMetadata();
        String apiVersion = object.getApiVersion() == null ? defaultApiVersion : object.getApiVersion();
        String kind = object.getKind() == null ? defaultKind : object.getKind();
        return new Node(meta.getUid(), apiVersion, kind, meta.getNamespace(), meta.getName(),
                meta.getOwnerReferences() == null ? List.of() : List.copyOf(meta.getOwnerReferences()),
                meta.getDeletionTimestamp() != null,
                meta.getFinalizers() == null ? List.of() : List.copyOf(meta.getFinalizers()));
    }

    /** Being deleted in the foreground: waiting for its dependents to go. */
    boolean deletingDependents() {
        return beingDeleted && finalizers.contains(FOREGROUND);
    }

    /** Being deleted with orphan propagation: waiting for its dependents to be released. */
    boolean orphaning() {
        return beingDeleted && finalizers.contains(ORPHAN);
    }

    /** Whether its reference to this owner blocks the owner's foreground deletion. */
    boolean blocks(String ownerUid) {
        return owners.stream().anyMatch(ref -> ref.getUid().equals(ownerUid)
                && Boolean.TRUE.equals(ref.getBlockOwnerDeletion()));
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name + " (" + uid + ")";
    }
}
