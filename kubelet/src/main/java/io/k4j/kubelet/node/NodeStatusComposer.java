package io.k4j.kubelet.node;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.k4j.kubelet.image.Image;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The node status a kubelet writes, laid over what the node has: the fields it owns (capacity, allocatable, its
 * four conditions, addresses, daemon endpoints, node info, images) are replaced; anything others put there
 * (conditions of other types, volumes in use) stays.
 */
public final class NodeStatusComposer {

    /** Upstream's nodeStatusMaxImages. */
    static final int MAX_IMAGES = 50;

    /** What does not change while the kubelet runs. */
    public record Facts(MachineInfo machine, String nodeIp, String hostname, int kubeletPort, String kubeletVersion,
            String containerRuntimeVersion) {
    }

    private NodeStatusComposer() {
    }

    public static NodeStatus compose(NodeStatus current, Facts facts, NodeSignals signals,
            EvictionThresholds thresholds, List<NodeCondition> conditions, List<Image> images) {
        MachineInfo machine = facts.machine();
        NodeStatusBuilder status = current == null ? new NodeStatusBuilder() : new NodeStatusBuilder(current);
        return status
                .withCapacity(NodeResources.capacity(machine, signals))
                .withAllocatable(NodeResources.allocatable(machine, signals, thresholds))
                .withConditions(mergeConditions(current == null ? List.of() : current.getConditions(), conditions))
                .withAddresses(new NodeAddress(facts.nodeIp(), "InternalIP"), new NodeAddress(facts.hostname(), "Hostname"))
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(facts.kubeletPort()).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withArchitecture(machine.architecture()).withOperatingSystem(machine.operatingSystem())
                .withOsImage(machine.osImage()).withKernelVersion(machine.kernelVersion())
                .withMachineID(machine.machineId()).withSystemUUID(machine.systemUuid()).withBootID(machine.bootId())
                .withKubeletVersion(facts.kubeletVersion()).withKubeProxyVersion(facts.kubeletVersion())
                .withContainerRuntimeVersion(facts.containerRuntimeVersion())
                .endNodeInfo()
                .withImages(images(images))
                .build();
    }

    /** Ours replace the conditions of the same type where they stand; new ones are appended; others stay. */
    static List<NodeCondition> mergeConditions(List<NodeCondition> existing, List<NodeCondition> ours) {
        List<NodeCondition> merged = new ArrayList<>(existing == null ? List.of() : existing);
        for (NodeCondition condition : ours) {
            int index = indexOf(merged, condition.getType());
            if (index < 0) {
                merged.add(condition);
            } else {
                merged.set(index, condition);
            }
        }
        return merged;
    }

    /** Upstream's image list: largest first, each with its digests then its tags, at most 50. */
    static List<ContainerImage> images(List<Image> images) {
        return images.stream()
                .filter(image -> !image.repoTags().isEmpty() || !image.repoDigests().isEmpty())
                .sorted(Comparator.comparingLong(Image::size).reversed())
                .limit(MAX_IMAGES)
                .map(image -> {
                    List<String> names = new ArrayList<>(image.repoDigests());
                    names.addAll(image.repoTags());
                    return new ContainerImage(names, image.size());
                })
                .toList();
    }

    /**
     * Upstream's nodeStatusHasChanged: any difference but the conditions' heartbeat times. An unchanged status is
     * written only when the report interval is due.
     */
    public static boolean changed(NodeStatus before, NodeStatus after) {
        if (before == null || after == null) {
            return before != after;
        }
        NodeStatus left = new NodeStatusBuilder(before).withConditions(withoutHeartbeats(before.getConditions())).build();
        NodeStatus right = new NodeStatusBuilder(after).withConditions(withoutHeartbeats(after.getConditions())).build();
        return !Objects.equals(left, right);
    }

    private static List<NodeCondition> withoutHeartbeats(List<NodeCondition> conditions) {
        return conditions == null ? List.of() : conditions.stream()
                .map(condition -> new NodeConditionBuilder(condition).withLastHeartbeatTime(null).build()).toList();
    }

    private static int indexOf(List<NodeCondition> conditions, String type) {
        for (int index = 0; index < conditions.size(); index++) {
            if (type.equals(conditions.get(index).getType())) {
                return index;
            }
        }
        return -1;
    }
}
