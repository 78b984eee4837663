package io.k4j.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.ZoneOffset;

/** Nodes, leases and pods as a kubelet would write them, for node controller tests. */
public final class NodeFixtures {

    private NodeFixtures() {
    }

    /** A node reporting Ready (heartbeat {@code at}) with its Lease renewed at {@code at}. */
    public static Node readyNode(KubernetesClient client, String name, Instant at) {
        Node created = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().endSpec().build()).create();
        Node reported = postReady(client, created, at);
        renewLease(client, name, at);
        return reported;
    }

    public static Node postReady(KubernetesClient client, Node node, Instant at) {
        Node latest = client.nodes().withName(node.getMetadata().getName()).get();
        return client.nodes().resource(new NodeBuilder(latest).editOrNewStatus().withConditions(
                new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady")
                        .withMessage("kubelet is posting ready status").withLastHeartbeatTime(at.toString())
                        .withLastTransitionTime(at.toString()).build(),
                new NodeConditionBuilder().withType("MemoryPressure").withStatus("False")
                        .withReason("KubeletHasSufficientMemory").withLastHeartbeatTime(at.toString())
                        .withLastTransitionTime(at.toString()).build())
                .endStatus().build()).updateStatus();
    }

    public static void renewLease(KubernetesClient client, String name, Instant at) {
        var leases = client.resources(Lease.class).inNamespace("kube-node-lease");
        Lease existing = leases.withName(name).get();
        var renew = at.atZone(ZoneOffset.UTC);
        if (existing == null) {
            leases.resource(new LeaseBuilder().withNewMetadata().withName(name).withNamespace("kube-node-lease")
                    .endMetadata().withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40)
                    .withRenewTime(renew).endSpec().build()).create();
        } else {
            leases.resource(new LeaseBuilder(existing).editSpec().withRenewTime(renew).endSpec().build()).update();
        }
    }

    /** A running, ready pod bound to {@code node}. */
    public static Pod readyPod(KubernetesClient client, String namespace, String name, String node) {
        Pod created = client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build()).create();
        return client.pods().inNamespace(namespace).resource(new PodBuilder(created).withNewStatus()
                .withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build()).updateStatus();
    }
}
