package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.client.RawRequests;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes pod status through the status subresource, only when it differs from what this kubelet last wrote
 * (upstream's status manager), and deletes a finished pod for good: grace period 0 with the pod's uid as a
 * precondition, so a new pod with the same name is never touched.
 */
final class PodStatusWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PodStatusWriter.class);

    private final KubernetesClient client;
    private final Map<String, String> written = new ConcurrentHashMap<>();

    PodStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Patches the status if it changed; false when the pod is gone. */
    boolean write(Pod pod, PodStatus status) {
        String json = client.getKubernetesSerialization().asJson(status);
        String uid = pod.getMetadata().getUid();
        if (json.equals(written.get(uid))) {
            return true;
        }
        String patch = "{\"metadata\":{\"uid\":\"" + uid + "\"},\"status\":" + json + "}";
        var meta = pod.getMetadata();
        String what = "patching the status of pod " + meta.getNamespace() + "/" + meta.getName();
        try {
            var response = RawRequests.patch(client, podPath(pod) + "/status", "application/merge-patch+json", patch);
            if (response.code() == 404) {
                return false;
            }
            if (response.code() >= 300) {
                throw new KubernetesClientException(what + ": HTTP " + response.code() + " " + response.body(),
                        response.code(), null);
            }
            written.put(uid, json);
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new KubernetesClientException(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubernetesClientException.launderThrowable(e);
        }
    }

    /** Deletes the pod for good once its containers have stopped and its volumes are gone. */
    void delete(Pod pod) {
        var meta = pod.getMetadata();
        String path = podPath(pod);
        String options = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
                + "\"preconditions\":{\"uid\":\"" + meta.getUid() + "\"}}";
        try {
            var response = RawRequests.delete(client, path, options);
            if (response.code() >= 300 && response.code() != 404 && response.code() != 409) {
                LOG.warn("deleting pod {}/{}: HTTP {} {}", meta.getNamespace(), meta.getName(), response.code(),
                        response.body());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("deleting pod {}/{}: {}", meta.getNamespace(), meta.getName(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forget(meta.getUid());
    }

    void forget(String uid) {
        written.remove(uid);
    }

    private static String podPath(Pod pod) {
        return "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();
    }
}
