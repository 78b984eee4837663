package io.k4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.k4j.controllers.discovery.ApiResource;
import io.k4j.controllers.discovery.ApiResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's decisions about one object, as upstream's attemptToDeleteItem and attemptToOrphan: an object
 * whose owners are all gone is deleted; one whose owner deletes in the foreground is deleted (or released, if it
 * has other owners); an owner deleting in the foreground loses its finalizer once no blocking dependent is left;
 * an owner deleting with orphan propagation loses its finalizer once its dependents no longer name it.
 */
final class Collector {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

    enum OwnerState { SOLID, DANGLING, WAITING_FOR_DEPENDENTS }

    private final KubernetesClient client;
    private final Graph graph;
    private final ApiResources resources;
    private final AbsentOwners absentOwners;
    private final Consumer<Graph.Work> later;

    Collector(KubernetesClient client, Graph graph, ApiResources resources, AbsentOwners absentOwners,
            Consumer<Graph.Work> later) {
        this.client = client;
        this.graph = graph;
        this.resources = resources;
        this.absentOwners = absentOwners;
        this.later = later;
    }

    void attemptToDelete(String uid) {
        Node node = graph.node(uid).orElse(null);
        if (node == null) {
            return;
        }
        if (node.deletingDependents()) {
            finishForegroundDeletion(node);
            return;
        }
        if (node.beingDeleted() || node.owners().isEmpty() || ownersAllPresent(node)) {
            return;
        }
        GenericKubernetesResource latest = latest(node);
        if (latest == null || latest.getMetadata().getOwnerReferences() == null
                || latest.getMetadata().getOwnerReferences().isEmpty()) {
            return;
        }
        List<OwnerReference> solid = new ArrayList<>();
        List<OwnerReference> dangling = new ArrayList<>();
        List<OwnerReference> waiting = new ArrayList<>();
        for (OwnerReference ref : latest.getMetadata().getOwnerReferences()) {
            switch (state(node, ref)) {
                case SOLID -> solid.add(ref);
                case DANGLING -> dangling.add(ref);
                case WAITING_FOR_DEPENDENTS -> waiting.add(ref);
            }
        }
        if (!solid.isEmpty()) {
            if (!dangling.isEmpty() || !waiting.isEmpty()) {
                Set<String> gone = uids(dangling, waiting);
                LOG.debug("garbage collector: {} keeps its owners {} and loses {}", node, uids(solid), gone);
                update(node, object -> withOwners(object, refs -> refs.stream()
                        .filter(ref -> !gone.contains(ref.getUid())).toList()));
            }
            return;
        }
        if (!waiting.isEmpty() && !graph.dependentsOf(uid).isEmpty()) {
            if (graph.dependentsOf(uid).stream().anyMatch(Node::deletingDependents)) {
                // A cycle of foreground deletions would wait forever: this object stops blocking its owners.
                update(node, object -> withOwners(object, refs -> refs.stream().map(ref -> new OwnerReferenceBuilder(ref)
                        .withBlockOwnerDeletion(false).build()).toList()));
            }
            delete(node, DeletionPropagation.FOREGROUND);
            return;
        }
        delete(node, policyOf(latest));
    }

    /** Every owner is in the graph and not deleting in the foreground: nothing to do, without asking the server. */
    private boolean ownersAllPresent(Node node) {
        return node.owners().stream().map(ref -> graph.node(ref.getUid()).orElse(null))
                .allMatch(owner -> owner != null && !owner.deletingDependents());
    }

    /** Honours a propagation finalizer the object already has; background otherwise. */
    private static DeletionPropagation policyOf(GenericKubernetesResource object) {
        List<String> finalizers = object.getMetadata().getFinalizers();
        if (finalizers != null && finalizers.contains(Node.ORPHAN)) {
            return DeletionPropagation.ORPHAN;
        }
        if (finalizers != null && finalizers.contains(Node.FOREGROUND)) {
            return DeletionPropagation.FOREGROUND;
        }
        return DeletionPropagation.BACKGROUND;
    }

    /** An owner deleting in the foreground: its blocking dependents go first, then its finalizer. */
    private void finishForegroundDeletion(Node owner) {
        List<Node> blocking = graph.dependentsOf(owner.uid()).stream().filter(dep -> dep.blocks(owner.uid())).toList();
        if (blocking.isEmpty()) {
            removeFinalizer(owner, Node.FOREGROUND);
            return;
        }
        for (Node dependent : blocking) {
            if (!dependent.deletingDependents()) {
                later.accept(new Graph.Work(Graph.Action.ATTEMPT_TO_DELETE, dependent.uid()));
            }
        }
    }

    /** An owner deleting with orphan propagation: its dependents stop naming it, then its finalizer goes. */
    void attemptToOrphan(String uid) {
        Node owner = graph.node(uid).orElse(null);
        if (owner == null || !owner.orphaning()) {
            return;
        }
        for (Node dependent : graph.dependentsOf(uid)) {
            update(dependent, object -> withOwners(object, refs -> refs.stream()
                    .filter(ref -> !ref.getUid().equals(uid)).toList()));
        }
        removeFinalizer(owner, Node.ORPHAN);
    }

    private OwnerState state(Node dependent, OwnerReference ref) {
        Node owner = graph.node(ref.getUid()).orElse(null);
        if (owner != null) {
            return owner.deletingDependents() ? OwnerState.WAITING_FOR_DEPENDENTS : OwnerState.SOLID;
        }
        if (absentOwners.contains(ref.getUid())) {
            return OwnerState.DANGLING;
        }
        ApiResource resource = resources.byKind(ref.getApiVersion(), ref.getKind()).orElseThrow(
                () -> new UnknownResourceException("cannot find the resource of owner " + ref.getApiVersion() + " "
                        + ref.getKind() + " " + ref.getName() + " of " + dependent));
        String namespace = resource.namespaced() ? dependent.namespace() : null;
        GenericKubernetesResource found = namespace == null && resource.namespaced() ? null
                : one(resource, namespace, ref.getName()).get();
        if (found == null || !ref.getUid().equals(found.getMetadata().getUid())) {
            absentOwners.add(ref.getUid());
            return OwnerState.DANGLING;
        }
        Node seen = Node.of(found, resource);
        return seen.deletingDependents() ? OwnerState.WAITING_FOR_DEPENDENTS : OwnerState.SOLID;
    }

    private GenericKubernetesResource latest(Node node) {
        GenericKubernetesResource latest = one(node).get();
        return latest != null && node.uid().equals(latest.getMetadata().getUid()) ? latest : null;
    }

    private void delete(Node node, DeletionPropagation policy) {
        LOG.debug("garbage collector: deleting {} ({})", node, policy);
        try {
            one(node).withPropagationPolicy(policy).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void removeFinalizer(Node node, String finalizer) {
        update(node, object -> {
            List<String> finalizers = new ArrayList<>(object.getMetadata().getFinalizers());
            finalizers.remove(finalizer);
            object.getMetadata().setFinalizers(finalizers);
            return object;
        });
    }

    /** Writes a change to the object as it is now (a conflict is retried by the loop); nothing if it is gone. */
    private void update(Node node, UnaryOperator<GenericKubernetesResource> change) {
        GenericKubernetesResource latest = latest(node);
        if (latest == null) {
            return;
        }
        try {
            ApiResource resource = resourceOf(node);
            var operation = resource.operation(client);
            GenericKubernetesResource changed = change.apply(latest);
            (resource.namespaced() ? operation.inNamespace(node.namespace()).resource(changed)
                    : operation.resource(changed)).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static GenericKubernetesResource withOwners(GenericKubernetesResource object,
            UnaryOperator<List<OwnerReference>> change) {
        object.getMetadata().setOwnerReferences(new ArrayList<>(change.apply(object.getMetadata().getOwnerReferences())));
        return object;
    }

    private Resource<GenericKubernetesResource> one(Node node) {
        return one(resourceOf(node), node.namespace(), node.name());
    }

    private ApiResource resourceOf(Node node) {
        return resources.byKind(node.apiVersion(), node.kind()).orElseThrow(
                () -> new UnknownResourceException("cannot find the resource of " + node));
    }

    private Resource<GenericKubernetesResource> one(ApiResource resource, String namespace, String name) {
        var operation = resource.operation(client);
        return resource.namespaced() ? operation.inNamespace(namespace).withName(name) : operation.withName(name);
    }

    @SafeVarargs
    private static Set<String> uids(List<OwnerReference>... lists) {
        Set<String> uids = new java.util.LinkedHashSet<>();
        for (List<OwnerReference> list : lists) {
            list.forEach(ref -> uids.add(ref.getUid()));
        }
        return uids;
    }
}
