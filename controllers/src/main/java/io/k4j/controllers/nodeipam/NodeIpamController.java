package io.k4j.controllers.nodeipam;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.ControllerOptions;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's node IPAM controller with its range allocator: each node without a pod CIDR gets the next free subnet
 * of the cluster CIDR (a /24 of 10.42.0.0/16 by default, k3s's) in spec.podCIDR and spec.podCIDRs. CIDRs nodes
 * already have (simulated nodes bring their own, the same ones) are marked used, so none is handed out twice; a
 * deleted node's CIDR is free again. When the range is full the node gets a CIDRNotAvailable event.
 */
public final class NodeIpamController implements Reconciler {

    public static final String NAME = "node-ipam";
    static final Duration RETRY_WHEN_FULL = Duration.ofSeconds(30);

    private final CidrSet cidrs;
    private final Map<String, List<String>> assigned = new ConcurrentHashMap<>();

    public NodeIpamController(ControllerOptions options) {
        this(options.clusterCidr(), options.nodeCidrMaskSize());
    }

    NodeIpamController(String clusterCidr, int maskSize) {
        this.cidrs = new CidrSet(clusterCidr, maskSize);
    }

    /** Throws IllegalArgumentException, saying why, unless the cluster CIDR can be cut into subnets of this size. */
    public static void checkClusterCidr(String clusterCidr, int maskSize) {
        try {
            new CidrSet(clusterCidr, maskSize);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " is not an IPv4 CIDR such as 10.42.0.0/16");
        }
    }

    @Override
    public void watch(Watches watches) {
        watches.primary(Node.class);
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Node node = context.cache(Node.class).get(key).orElse(null);
        if (node == null) {
            List<String> released = assigned.remove(key.name());
            if (released != null) {
                released.forEach(cidrs::release);
            }
            return Result.done();
        }
        List<String> existing = cidrsOf(node);
        if (!existing.isEmpty()) {
            existing.forEach(cidrs::occupy);
            assigned.put(key.name(), existing);
            return Result.done();
        }
        return allocate(node, context);
    }

    private synchronized Result allocate(Node node, Context context) {
        // Whatever the other nodes hold is taken, even if their own reconcile has not run yet.
        for (Node other : context.cache(Node.class).list()) {
            List<String> held = cidrsOf(other);
            held.forEach(cidrs::occupy);
            if (!held.isEmpty()) {
                assigned.put(other.getMetadata().getName(), held);
            }
        }
        String cidr = cidrs.allocateNext();
        String name = node.getMetadata().getName();
        if (cidr == null) {
            context.events().normal(node, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
            return Result.requeueAfter(RETRY_WHEN_FULL);
        }
        try {
            context.client().nodes().resource(new NodeBuilder(node).editOrNewSpec().withPodCIDR(cidr)
                    .withPodCIDRs(cidr).endSpec().build()).update();
            assigned.put(name, List.of(cidr));
        } catch (KubernetesClientException e) {
            cidrs.release(cidr);
            if (e.getCode() != 404) {
                throw e;
            }
        }
        return Result.done();
    }

    private static List<String> cidrsOf(Node node) {
        List<String> result = new ArrayList<>();
        if (node.getSpec() != null && node.getSpec().getPodCIDRs() != null) {
            result.addAll(node.getSpec().getPodCIDRs());
        }
        if (result.isEmpty() && node.getSpec() != null && node.getSpec().getPodCIDR() != null
                && !node.getSpec().getPodCIDR().isEmpty()) {
            result.add(node.getSpec().getPodCIDR());
        }
        return result;
    }
}
