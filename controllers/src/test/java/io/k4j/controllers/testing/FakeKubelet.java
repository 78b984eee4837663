package io.k4j.controllers.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/** What a kubelet would report, done by hand in controller tests (the harness has no nodes): pods go Ready. */
public final class FakeKubelet {

    private FakeKubelet() {
    }

    /** Marks every pod of the namespace that is not yet Ready as Running and Ready since the clock's now. */
    public static int markAllReady(KubernetesClient client, String namespace, Clock clock) {
        int marked = 0;
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() != null || isReady(pod)) {
                continue;
            }
            markReady(client, pod, clock);
            marked++;
        }
        return marked;
    }

    public static void markReady(KubernetesClient client, Pod pod, Clock clock) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String patch = "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                + "\"lastTransitionTime\":\"" + now + "\"}]}}";
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
