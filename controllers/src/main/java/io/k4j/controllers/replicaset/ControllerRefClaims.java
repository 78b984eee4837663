package io.k4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.controllers.api.OwnerRefs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Upstream's ControllerRefManager: an owner claims the objects its selector matches. Orphans that match are adopted
 * (a controller reference is patched onto them), owned objects that no longer match are released (the reference is
 * patched away), and objects controlled by someone else are left alone. An owner being deleted adopts and releases
 * nothing; before its first adoption it re-reads itself from the API server, so an owner deleted and recreated under
 * the same name (a new uid) never adopts through a stale cache.
 */
public final class ControllerRefClaims<T extends HasMetadata> {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;
    private final Class<T> type;
    private final HasMetadata owner;
    private final Predicate<T> matches;
    private Boolean canAdopt;

    public ControllerRefClaims(KubernetesClient client, Class<T> type, HasMetadata owner, Predicate<T> matches) {
        this.client = client;
        this.type = type;
        this.owner = owner;
        this.matches = matches;
    }

    /** The candidates the owner controls once orphans are adopted and non-matching owned ones released. */
    public List<T> claim(List<T> candidates) {
        List<T> claimed = new ArrayList<>();
        for (T candidate : candidates) {
            if (claimOne(candidate)) {
                claimed.add(candidate);
            }
        }
        return claimed;
    }

    private boolean claimOne(T object) {
        var ref = OwnerRefs.controllerOf(object);
        boolean deleting = owner.getMetadata().getDeletionTimestamp() != null;
        if (ref.isPresent()) {
            if (!ref.get().getUid().equals(owner.getMetadata().getUid())) {
                return false;
            }
            if (matches.test(object)) {
                return true;
            }
            if (!deleting) {
                patch(object, Map.of("ownerReferences", List.of(Map.of("$patch", "delete",
                        "uid", owner.getMetadata().getUid()))));
            }
            return false;
        }
        if (deleting || !matches.test(object) || object.getMetadata().getDeletionTimestamp() != null
                || !owner.getMetadata().getNamespace().equals(object.getMetadata().getNamespace())
                || !canAdopt()) {
            return false;
        }
        return patch(object, Map.of("ownerReferences", List.of(OwnerRefs.controllerRef(owner))));
    }

    private boolean canAdopt() {
        if (canAdopt == null) {
            HasMetadata fresh = client.resources(owner.getClass()).inNamespace(owner.getMetadata().getNamespace())
                    .withName(owner.getMetadata().getName()).get();
            canAdopt = fresh != null && fresh.getMetadata().getUid().equals(owner.getMetadata().getUid())
                    && fresh.getMetadata().getDeletionTimestamp() == null;
        }
        return canAdopt;
    }

    /** A strategic merge patch of the object's metadata, with its uid as a precondition; false if it is gone. */
    private boolean patch(T object, Map<String, Object> metadata) {
        Map<String, Object> withUid = new java.util.LinkedHashMap<>(metadata);
        withUid.put("uid", object.getMetadata().getUid());
        try {
            client.resources(type).inNamespace(object.getMetadata().getNamespace())
                    .withName(object.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), JSON.asJson(Map.of("metadata", withUid)));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
