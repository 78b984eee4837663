package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Node object of a simulated node, labelled and reported the way KWOK's and a real kubelet's nodes are. */
final class NodeRenderer {

    static final String SIMULATED_ANNOTATION = "simulation.k4j.io/simulated";
    static final String KUBELET_VERSION = "v1.32.0";

    private final NodeShape shape;

    NodeRenderer(NodeShape shape) {
        this.shape = shape;
    }

    Node node(SimulatedNode node, Instant registeredAt, Instant heartbeat) {
        return new NodeBuilder()
                .withNewMetadata().withName(node.name()).withLabels(labels(node))
                .addToAnnotations(SIMULATED_ANNOTATION, "true").endMetadata()
                .withNewSpec().withPodCIDR(node.podCidr()).withPodCIDRs(node.podCidr())
                .withTaints(shape.taints()).endSpec()
                .withStatus(status(node, registeredAt, heartbeat))
                .build();
    }

    private Map<String, String> labels(SimulatedNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("type", "simulated");
        labels.putAll(shape.labels());
        labels.put("kubernetes.io/hostname", node.name());
        if (node.zone() != null) {
            labels.put("topology.kubernetes.io/region", "sim-region");
            labels.put("topology.kubernetes.io/zone", node.zone());
        }
        return labels;
    }

    /** Conditions changed only when registered; {@code heartbeat} is when this status is reported. */
    NodeStatus status(SimulatedNode node, Instant registeredAt, Instant heartbeat) {
        String since = Timestamps.time(registeredAt);
        String beat = Timestamps.time(heartbeat);
        return new NodeStatusBuilder()
                .withCapacity(shape.capacity()).withAllocatable(shape.capacity())
                .withConditions(
                        condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                                "kubelet has sufficient memory available", since, beat),
                        condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                                "kubelet has no disk pressure", since, beat),
                        condition("PIDPressure", "False", "KubeletHasSufficientPID",
                                "kubelet has sufficient PID available", since, beat),
                        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", since, beat))
                .withAddresses(new NodeAddress(node.internalIp(), "InternalIP"), new NodeAddress(node.name(), "Hostname"))
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
                .withNewNodeInfo()
                .withKubeletVersion(KUBELET_VERSION).withKubeProxyVersion(KUBELET_VERSION)
                .withContainerRuntimeVersion("simulated://1")
                .withOperatingSystem("linux").withArchitecture("amd64")
                .withOsImage("k4j simulated node").withKernelVersion("simulated")
                .withMachineID(node.name()).withSystemUUID(node.name()).withBootID(node.name())
                .endNodeInfo()
                .build();
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String since,
            String heartbeat) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withLastHeartbeatTime(heartbeat).build();
    }
}
