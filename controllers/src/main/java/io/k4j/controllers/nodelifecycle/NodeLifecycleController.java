package io.k4j.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.ControllerOptions;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Upstream's node lifecycle controller: a node whose kubelet stops renewing its Lease and posting its Ready
 * heartbeat for the grace period (the startup grace period if it never reported) has its conditions set Unknown and
 * its pods marked not ready; the node's taints follow its conditions (NoSchedule for every unhealthy one, and the
 * NoExecute not-ready or unreachable taint the taint eviction controller acts on), and go when it recovers. As
 * upstream, when every node is down the controller suspects itself (or the network) rather than the nodes, and
 * keeps the NoExecute taints off.
 */
public final class NodeLifecycleController implements Reconciler {

    public static final String NAME = "node-lifecycle";
    static final String LEASE_NAMESPACE = "kube-node-lease";

    private final Duration monitorGracePeriod;
    private final Duration startupGracePeriod;
    private final NodeHeartbeats heartbeats = new NodeHeartbeats();
    private final java.util.concurrent.atomic.AtomicReference<Boolean> allDown = new java.util.concurrent.atomic.AtomicReference<>();

    public NodeLifecycleController(ControllerOptions options) {
        this(options.nodeMonitorGracePeriod(), options.nodeStartupGracePeriod());
    }

    NodeLifecycleController(Duration monitorGracePeriod, Duration startupGracePeriod) {
        this.monitorGracePeriod = monitorGracePeriod;
        this.startupGracePeriod = startupGracePeriod;
    }

    @Override
    public void watch(Watches watches) {
        watches.primary(Node.class)
                .mapped(Lease.class, lease -> LEASE_NAMESPACE.equals(lease.getMetadata().getNamespace())
                        ? List.of(ObjectKey.cluster(lease.getMetadata().getName())) : List.of())
                .cached(Pod.class).index(Pod.class, Pods.BY_NODE, Pods::nodeNames);
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        String name = key.name();
        Node node = context.cache(Node.class).get(key).orElse(null);
        if (node == null) {
            heartbeats.forget(name);
            return Result.done();
        }
        Instant now = context.clock().instant();
        if (!heartbeats.knows(name)) {
            context.events().normal(node, "RegisteredNode",
                    "Node " + name + " event: Registered Node " + name + " in Controller");
        }
        Lease lease = context.cache(Lease.class).get(new ObjectKey(LEASE_NAMESPACE, name)).orElse(null);
        Instant probe = heartbeats.observe(node, lease, now);
        Duration grace = NodeConditions.find(node, NodeConditions.READY) == null ? startupGracePeriod
                : monitorGracePeriod;
        Instant deadline = probe.plus(grace);
        Result result = Result.done();
        if (now.isBefore(deadline)) {
            result = Result.requeueAfter(Duration.between(now, deadline));
        } else {
            node = markUnknown(node, now, context);
        }
        List<Taint> taints = NodeTaints.reconciled(node, !allNodesDownNoticing(node, context), now);
        if (taints != null) {
            node = context.client().nodes().resource(new NodeBuilder(node).editOrNewSpec().withTaints(taints).endSpec()
                    .build()).update();
        }
        if (!"True".equals(NodeConditions.readyStatus(node))) {
            markPodsNotReady(name, now, context);
        }
        return result;
    }

    /** Sets the kubelet's conditions Unknown (if not yet) and returns the node as written. */
    private Node markUnknown(Node node, Instant now, Context context) {
        List<NodeCondition> unknown = NodeConditions.markedUnknown(node, now);
        if (unknown == null) {
            return node;
        }
        boolean wasReady = "True".equals(NodeConditions.readyStatus(node));
        Node updated = context.client().nodes().resource(new NodeBuilder(node).editOrNewStatus()
                .withConditions(unknown).endStatus().build()).updateStatus();
        if (wasReady) {
            String name = node.getMetadata().getName();
            context.events().normal(updated, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
        }
        return updated;
    }

    /**
     * Whether every node is down, remembering the answer: when it changes, every node is looked at again (to drop
     * or restore its NoExecute taint). Each node's own status write brings it back here once the cache has it, so
     * the last of them sees them all.
     */
    private boolean allNodesDownNoticing(Node node, Context context) {
        boolean down = allNodesDown(node, context);
        Boolean previous = allDown.getAndSet(down);
        if (previous != null && previous != down) {
            for (Node other : context.cache(Node.class).list()) {
                context.enqueue(ObjectKey.of(other), Duration.ZERO);
            }
        }
        return down;
    }

    /** Upstream's full disruption: no node at all is ready, {@code node} being the freshest view of itself. */
    private static boolean allNodesDown(Node node, Context context) {
        String name = node.getMetadata().getName();
        return !"True".equals(NodeConditions.readyStatus(node)) && context.cache(Node.class).list().stream()
                .filter(other -> !other.getMetadata().getName().equals(name))
                .noneMatch(other -> "True".equals(NodeConditions.readyStatus(other)));
    }

    /** As upstream's MarkPodsNotReady: the pods of a node that is not ready are not ready either. */
    private static void markPodsNotReady(String nodeName, Instant now, Context context) {
        for (Pod pod : context.cache(Pod.class).indexed(Pods.BY_NODE, nodeName)) {
            if (!Pods.isReady(pod)) {
                continue;
            }
            Pod copy = new PodBuilder(pod).build();
            for (PodCondition condition : copy.getStatus().getConditions()) {
                if ("Ready".equals(condition.getType())) {
                    condition.setStatus("False");
                    condition.setLastTransitionTime(NodeConditions.seconds(now));
                }
            }
            try {
                context.client().pods().inNamespace(pod.getMetadata().getNamespace()).resource(copy).updateStatus();
                context.events().warning(pod, "NodeNotReady", "Node is not ready");
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }
}
