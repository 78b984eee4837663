package io.k4j.controllers.history;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.k4j.controllers.api.LabelSelectors;
import io.k4j.controllers.api.OwnerRefs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Upstream's ControllerRefManager for pods and revisions: an owner adopts orphans its selector matches and releases
 * what it controls but no longer matches, each with a strategic merge patch of the ownerReferences (merged by uid).
 */
public final class Adoption {

    private Adoption() {
    }

    /**
     * What {@code owner} controls among {@code candidates} once matching orphans are adopted and non-matching ones
     * released. {@code member} narrows what may be adopted (a StatefulSet only adopts pods named after it).
     */
    public static <T extends HasMetadata> List<T> claim(KubernetesClient client, Class<T> type, HasMetadata owner,
            LabelSelector selector, List<T> candidates, Predicate<T> member) {
        List<T> claimed = new ArrayList<>();
        boolean ownerLive = owner.getMetadata().getDeletionTimestamp() == null;
        for (T object : candidates) {
            boolean matches = LabelSelectors.matches(selector, object.getMetadata().getLabels()) && member.test(object);
            if (OwnerRefs.isControlledBy(object, owner)) {
                if (matches || !ownerLive) {
                    claimed.add(object);
                } else {
                    patch(client, type, object, "[{\"$patch\":\"delete\",\"uid\":\"" + owner.getMetadata().getUid() + "\"}]");
                }
            } else if (matches && ownerLive && OwnerRefs.controllerOf(object).isEmpty()
                    && object.getMetadata().getDeletionTimestamp() == null) {
                var ref = OwnerRefs.controllerRef(owner);
                patch(client, type, object, "[{\"apiVersion\":\"" + ref.getApiVersion() + "\",\"kind\":\"" + ref.getKind()
                        + "\",\"name\":\"" + ref.getName() + "\",\"uid\":\"" + ref.getUid()
                        + "\",\"controller\":true,\"blockOwnerDeletion\":true}]");
                claimed.add(object);
            }
        }
        return claimed;
    }

    private static <T extends HasMetadata> void patch(KubernetesClient client, Class<T> type, T object, String ownerRefs) {
        String patch = "{\"metadata\":{\"ownerReferences\":" + ownerRefs + ",\"uid\":\"" + object.getMetadata().getUid()
                + "\"}}";
        try {
            client.resources(type).inNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) { // gone meanwhile: nothing to adopt or release
                throw e;
            }
        }
    }
}
