package io.k4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ownership graph of every watched object, by uid, as upstream's graph builder keeps it. Informer events go
 * through {@link #observe} and {@link #forget}, which answer the work the change calls for: dependents to check
 * when an owner goes, owners whose foreground deletion may now finish, owners to orphan.
 */
final class Graph {

    /** One unit of collector work about one object. */
    record Work(Action action, String uid) {
    }

    enum Action { ATTEMPT_TO_DELETE, ATTEMPT_TO_ORPHAN }

    private final Map<String, Node> nodes = new HashMap<>();
    /** Owner uid to the uids of the objects naming it, whether or not the owner was ever seen. */
    private final Map<String, Set<String>> dependents = new HashMap<>();

    synchronized Optional<Node> node(String uid) {
        return Optional.ofNullable(nodes.get(uid));
    }

    synchronized List<Node> dependentsOf(String ownerUid) {
        List<Node> result = new ArrayList<>();
        for (String uid : dependents.getOrDefault(ownerUid, Set.of())) {
            Node node = nodes.get(uid);
            if (node != null) {
                result.add(node);
            }
        }
        return result;
    }

    synchronized int size() {
        return nodes.size();
    }

    /** An object was added or changed. */
    synchronized List<Work> observe(Node node) {
        Node old = nodes.put(node.uid(), node);
        List<Work> work = new ArrayList<>();
        if (old != null) {
            unlink(old);
        }
        link(node);
        if (node.deletingDependents() && (old == null || !old.deletingDependents())) {
            work.add(new Work(Action.ATTEMPT_TO_DELETE, node.uid()));
            dependents.getOrDefault(node.uid(), Set.of())
                    .forEach(uid -> work.add(new Work(Action.ATTEMPT_TO_DELETE, uid)));
        }
        if (node.orphaning() && (old == null || !old.orphaning())) {
            work.add(new Work(Action.ATTEMPT_TO_ORPHAN, node.uid()));
        }
        List<OwnerReference> oldOwners = old == null ? List.of() : old.owners();
        if (!oldOwners.equals(node.owners())) {
            Set<String> touched = new LinkedHashSet<>();
            oldOwners.forEach(ref -> touched.add(ref.getUid()));
            node.owners().forEach(ref -> touched.add(ref.getUid()));
            for (String ownerUid : touched) {
                Node owner = nodes.get(ownerUid);
                if (owner != null && owner.deletingDependents()) {
                    work.add(new Work(Action.ATTEMPT_TO_DELETE, ownerUid)); // its blocking dependents changed
                }
            }
            boolean ownerInDoubt = node.owners().stream().map(ref -> nodes.get(ref.getUid()))
                    .anyMatch(owner -> owner == null || owner.beingDeleted());
            if (ownerInDoubt) {
                work.add(new Work(Action.ATTEMPT_TO_DELETE, node.uid()));
            }
        }
        return work;
    }

    /** An object is gone: its dependents may have lost their last owner, its owners may stop waiting for it. */
    synchronized List<Work> forget(String uid) {
        Node old = nodes.remove(uid);
        List<Work> work = new ArrayList<>();
        if (old == null) {
            return work;
        }
        unlink(old);
        dependents.getOrDefault(uid, Set.of()).forEach(dep -> work.add(new Work(Action.ATTEMPT_TO_DELETE, dep)));
        for (OwnerReference ref : old.owners()) {
            Node owner = nodes.get(ref.getUid());
            if (owner != null && owner.deletingDependents()) {
                work.add(new Work(Action.ATTEMPT_TO_DELETE, owner.uid()));
            }
        }
        return work;
    }

    private void link(Node node) {
        for (OwnerReference ref : node.owners()) {
            dependents.computeIfAbsent(ref.getUid(), k -> new LinkedHashSet<>()).add(node.uid());
        }
    }

    private void unlink(Node node) {
        for (OwnerReference ref : node.owners()) {
            Set<String> set = dependents.get(ref.getUid());
            if (set != null) {
                set.remove(node.uid());
                if (set.isEmpty()) {
                    dependents.remove(ref.getUid());
                }
            }
        }
    }
}
