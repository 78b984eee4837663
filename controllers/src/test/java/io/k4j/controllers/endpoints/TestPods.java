package io.k4j.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Pods as a node would leave them: bound, with an IP and a Ready condition (for endpoint tests). */
public final class TestPods {

    private TestPods() {
    }

    /** Creates a pod with these labels, a container port "web" on {@code webPort}, and (if ip != null) a status. */
    public static Pod create(KubernetesClient client, String namespace, String name, Map<String, String> labels,
            int webPort, String node, String ip, boolean ready) {
        Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("nginx")
                .addNewPort().withName("web").withContainerPort(webPort).endPort().endContainer().endSpec()
                .build()).create();
        if (ip == null) {
            return pod;
        }
        return client.pods().inNamespace(namespace).resource(new PodBuilder(pod).withNewStatus().withPhase("Running")
                .withPodIP(ip).addNewPodIP().withIp(ip).endPodIP()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
                .endStatus().build()).updateStatus();
    }
}
