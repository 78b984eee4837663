package io.k4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the basic plugins' tests. */
public final class BasicFixtures {

    private BasicFixtures() {
    }

    /** A pod in namespace default with a UID derived from its name, and no containers. */
    public static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(name + "-uid").endMetadata()
                .withNewSpec().endSpec();
    }

    /** A pod whose containers request these amounts, one container per "cpu/memory" pair (either may be null). */
    public static Pod podRequesting(String name, String... cpuMemoryPairs) {
        List<Container> containers = new ArrayList<>();
        for (int i = 0; i < cpuMemoryPairs.length; i += 2) {
            containers.add(container("c" + i, requests(cpuMemoryPairs[i], cpuMemoryPairs[i + 1])));
        }
        return pod(name).editSpec().withContainers(containers).endSpec().build();
    }

    public static Map<String, String> requests(String cpu, String memory) {
        Map<String, String> map = new LinkedHashMap<>();
        if (cpu != null) {
            map.put("cpu", cpu);
        }
        if (memory != null) {
            map.put("memory", memory);
        }
        return map;
    }

    public static Container container(String name, Map<String, String> requests) {
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        requests.forEach((k, v) -> quantities.put(k, new Quantity(v)));
        return new ContainerBuilder().withName(name).withImage("img").withNewResources().withRequests(quantities).endResources().build();
    }

    public static PodInfo info(Pod pod) {
        return new PodInfo(pod);
    }

    /** A node with this allocatable (resource name to quantity, "pods" included if given). */
    public static NodeBuilder node(String name, Map<String, String> allocatable) {
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        allocatable.forEach((k, v) -> quantities.put(k, new Quantity(v)));
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
                .withNewStatus().withAllocatable(quantities).withCapacity(quantities).endStatus();
    }

    public static Node node(String name) {
        return node(name, Map.of("pods", "110")).build();
    }

    public static Node labeledNode(String name, Map<String, String> labels) {
        return node(name, Map.of("pods", "110")).editMetadata().withLabels(labels).endMetadata().build();
    }

    public static Node nodeWithImages(String name, Map<String, Long> images) {
        List<ContainerImage> list = new ArrayList<>();
        images.forEach((image, size) -> {
            ContainerImage ci = new ContainerImage();
            ci.setNames(List.of(image));
            ci.setSizeBytes(size);
            list.add(ci);
        });
        return node(name, Map.of("pods", "110")).editStatus().withImages(list).endStatus().build();
    }

    public static NodeInfo nodeInfo(Node node, Pod... pods) {
        NodeInfo info = new NodeInfo(node);
        for (Pod pod : pods) {
            info.addPod(new PodInfo(pod));
        }
        return info;
    }

    public static Taint taint(String key, String value, String effect) {
        Taint taint = new Taint();
        taint.setKey(key);
        taint.setValue(value);
        taint.setEffect(effect);
        return taint;
    }

    public static Toleration toleration(String key, String operator, String value, String effect) {
        Toleration toleration = new Toleration();
        toleration.setKey(key);
        toleration.setOperator(operator);
        toleration.setValue(value);
        toleration.setEffect(effect);
        return toleration;
    }

    public static NodeSelectorRequirement requirement(String key, String operator, String... values) {
        NodeSelectorRequirement requirement = new NodeSelectorRequirement();
        requirement.setKey(key);
        requirement.setOperator(operator);
        requirement.setValues(new ArrayList<>(List.of(values)));
        return requirement;
    }
}
