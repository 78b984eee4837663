package io.k4j.controllers.history;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.k4j.controllers.api.OwnerRefs;
import java.util.List;
import java.util.Set;

/** The revision writes StatefulSets and DaemonSets share: finding or making the current template's revision, pruning. */
public final class RevisionHistory {

    private RevisionHistory() {
    }

    /**
     * The revision of the owner's template, or null with a raised collision count when another object already has
     * the name its hash gives (the caller records the count in its status and tries again).
     */
    public record Found(ControllerRevision revision, Integer collisionCount) {
        public boolean collided() {
            return revision == null;
        }
    }

    /**
     * Finds the revision holding {@code template} among the owner's {@code history} (renumbering it to the newest if
     * an older one is re-used, as a rollback does), or creates it.
     */
    public static Found updateRevision(KubernetesClient client, HasMetadata owner, List<ControllerRevision> history,
            PodTemplateSpec template, Integer collisionCount) {
        Object data = Revisions.templatePatch(template);
        List<ControllerRevision> sorted = Revisions.sorted(history);
        List<ControllerRevision> equal = sorted.stream().filter(r -> Revisions.holds(r, data)).toList();
        if (!equal.isEmpty()) {
            ControllerRevision latestEqual = equal.getLast();
            if (latestEqual == sorted.getLast()) {
                return new Found(latestEqual, collisionCount);
            }
            return new Found(renumber(client, latestEqual, Revisions.nextNumber(sorted)), collisionCount);
        }
        ControllerRevision revision = Revisions.newRevision(owner, template, data, Revisions.nextNumber(sorted),
                collisionCount);
        String namespace = owner.getMetadata().getNamespace();
        try {
            return new Found(client.apps().controllerRevisions().inNamespace(namespace).resource(revision).create(),
                    collisionCount);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        ControllerRevision existing = client.apps().controllerRevisions().inNamespace(namespace)
                .withName(revision.getMetadata().getName()).get();
        if (existing != null && OwnerRefs.isControlledBy(existing, owner) && Revisions.holds(existing, data)) {
            return new Found(existing, collisionCount); // ours, made by an earlier sync the cache has not seen
        }
        return new Found(null, collisionCount == null ? 1 : collisionCount + 1);
    }

    private static ControllerRevision renumber(KubernetesClient client, ControllerRevision revision, long number) {
        return client.apps().controllerRevisions().inNamespace(revision.getMetadata().getNamespace())
                .withName(revision.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"revision\":" + number + "}");
    }

    /**
     * Deletes the oldest revisions beyond {@code limit}, never one that is {@code live} (named by the owner's status
     * or still labelling pods).
     */
    public static void truncate(KubernetesClient client, List<ControllerRevision> history, Set<String> live, int limit) {
        List<ControllerRevision> old = Revisions.sorted(history).stream()
                .filter(r -> !live.contains(r.getMetadata().getName())).toList();
        for (ControllerRevision revision : old.subList(0, Math.max(0, old.size() - Math.max(0, limit)))) {
            client.apps().controllerRevisions().inNamespace(revision.getMetadata().getNamespace())
                    .withName(revision.getMetadata().getName()).delete();
        }
    }

    /** The revisions in {@code history} controlled by {@code owner}. */
    public static List<ControllerRevision> ownedBy(List<ControllerRevision> candidates, HasMetadata owner) {
        return candidates.stream().filter(r -> OwnerRefs.isControlledBy(r, owner)).toList();
    }
}
