package io.k4j.scheduler.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.k4j.scheduler.framework.PodInfo;
import java.util.Map;

/** Small pods and nodes for the framework's own tests. */
public final class TestPods {

    private TestPods() {
    }

    public static Pod pod(String name, int priority, String cpu) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name).withUid("uid-" + name).endMetadata()
                .withNewSpec().withPriority(priority)
                .addNewContainer().withName("c").withImage("pause")
                .withNewResources().withRequests(Map.of("cpu", new Quantity(cpu))).endResources().endContainer()
                .endSpec().build();
    }

    public static PodInfo info(String name, int priority, String cpu) {
        return new PodInfo(pod(name, priority, cpu));
    }

    public static Node node(String name, String cpu, String memory, int pods) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                        "pods", new Quantity(String.valueOf(pods)))).endStatus()
                .build();
    }
}
