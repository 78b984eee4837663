package io.k4j.controllers.history;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * Writes a workload's status with a merge patch of the status subresource: no resourceVersion, so a status computed
 * from a cache a little behind the object's spec edits does not conflict (observedGeneration says what it saw).
 */
public final class StatusWriter {

    private StatusWriter() {
    }

    public static void statefulSet(KubernetesClient client, StatefulSet set, StatefulSetStatus status) {
        write(client, StatefulSet.class, set, status);
    }

    public static void daemonSet(KubernetesClient client, DaemonSet set, DaemonSetStatus status) {
        write(client, DaemonSet.class, set, status);
    }

    private static <T extends HasMetadata> void write(KubernetesClient client, Class<T> type, T owner, Object status) {
        String patch = client.getKubernetesSerialization().asJson(Map.of("status", status));
        try {
            client.resources(type).inNamespace(owner.getMetadata().getNamespace()).withName(owner.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) { // deleted meanwhile
                throw e;
            }
        }
    }
}
