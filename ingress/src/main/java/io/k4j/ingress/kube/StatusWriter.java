package io.k4j.ingress.kube;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes status.loadBalancer.ingress (the node's addresses) on the Ingresses we serve, only where it differs. */
public final class StatusWriter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

    private final KubernetesClient client;

    public StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    public void write(Collection<String> served, Function<String, Ingress> lookup, List<String> addresses) {
        List<Map<String, String>> desired = LoadBalancerStatus.desired(addresses);
        for (String key : served) {
            Ingress ingress = lookup.apply(key);
            if (ingress == null || !LoadBalancerStatus.needsUpdate(ingress, desired)) {
                continue;
            }
            String patch = client.getKubernetesSerialization().asJson(
                    Map.of("status", Map.of("loadBalancer", Map.of("ingress", desired))));
            try {
                client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace())
                        .withName(ingress.getMetadata().getName()).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            } catch (KubernetesClientException e) {
                LOG.warn("cannot write the status of ingress {}: {}", key, e.getMessage());
            }
        }
    }
}
