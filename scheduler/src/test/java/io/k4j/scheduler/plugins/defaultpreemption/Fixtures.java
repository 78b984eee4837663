package io.k4j.scheduler.plugins.defaultpreemption;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.FilterPlugin;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pods, nodes, budgets and simple test-only plugins for the preemption tests. */
final class Fixtures {

    private Fixtures() {
    }

    static final String INSUFFICIENT_CPU = "Insufficient cpu";
    static final String NODE_REJECTED = "node(s) didn't match Pod's node affinity/selector";
    static final String CONFLICT = "node(s) didn't satisfy existing pods anti-affinity rules";

    /** A pod under construction; {@link #info()} builds it. Its uid is "uid-" + name. */
    static final class P {
        private final String name;
        private String namespace = "default";
        private int priority;
        private long milliCpu;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String nominatedNode;
        private String startTime;
        private boolean terminating;
        private String disruptionTargetReason;
        private String preemptionPolicy;

        P(String name) {
            this.name = name;
        }

        P prio(int value) {
            priority = value;
            return this;
        }

        P cpu(long value) {
            milliCpu = value;
            return this;
        }

        P ns(String value) {
            namespace = value;
            return this;
        }

        P label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        P nominated(String node) {
            nominatedNode = node;
            return this;
        }

        P started(String instant) {
            startTime = instant;
            return this;
        }

        P terminating() {
            terminating = true;
            return this;
        }

        /** Terminating, with a DisruptionTarget condition of this reason. */
        P terminatingBecause(String reason) {
            terminating = true;
            disruptionTargetReason = reason;
            return this;
        }

        P never() {
            preemptionPolicy = "Never";
            return this;
        }

        Pod pod() {
            PodBuilder builder = new PodBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).withUid("uid-" + name)
                    .withLabels(labels.isEmpty() ? null : new HashMap<>(labels))
                    .withDeletionTimestamp(terminating ? "2025-12-31T23:59:00Z" : null).endMetadata()
                    .withNewSpec().withPriority(priority).withPreemptionPolicy(preemptionPolicy)
                    .addNewContainer().withName("c").withImage("busybox")
                    .withNewResources().addToRequests("cpu", new Quantity(milliCpu + "m")).endResources()
                    .endContainer().endSpec()
                    .withNewStatus().withNominatedNodeName(nominatedNode).withStartTime(startTime).endStatus();
            if (disruptionTargetReason != null) {
                builder.editStatus().addToConditions(new PodConditionBuilder().withType("DisruptionTarget")
                        .withStatus("True").withReason(disruptionTargetReason).build()).endStatus();
            }
            return builder.build();
        }

        PodInfo info() {
            return new PodInfo(pod());
        }
    }

    static P pod(String name) {
        return new P(name);
    }

    /** A node with this much allocatable CPU (and room for 110 pods), the pods bound to it, optional labels. */
    static NodeInfo node(String name, long milliCpu, P... pods) {
        return node(name, milliCpu, Map.of(), pods);
    }

    static NodeInfo node(String name, long milliCpu, Map<String, String> labels, P... pods) {
        Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(milliCpu + "m"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build();
        NodeInfo info = new NodeInfo(node);
        for (P pod : pods) {
            Pod built = pod.pod();
            built.getSpec().setNodeName(name);
            info.addPod(new PodInfo(built));
        }
        return info;
    }

    static PodDisruptionBudget pdb(String name, int allowed, LabelSelector selector, String... disruptedPods) {
        Map<String, String> disrupted = new HashMap<>();
        for (String pod : disruptedPods) {
            disrupted.put(pod, "2025-12-31T23:59:00Z");
        }
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withSelector(selector).endSpec()
                .withNewStatus().withDisruptionsAllowed(allowed).withDisruptedPods(disrupted).endStatus().build();
    }

    static LabelSelector matchLabels(String key, String value) {
        return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
    }

    /** Test-only: the pod fits when the node's requested CPU plus the pod's stays within allocatable. */
    static final class FitsByCpu implements FilterPlugin {
        @Override
        public String name() {
            return "FitsByCpu";
        }

        @Override
        public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
            if (node.requested().milliCpu + pod.requests().milliCpu > node.allocatable().milliCpu) {
                return Status.unschedulable(INSUFFICIENT_CPU);
            }
            return Status.success();
        }
    }

    /** Test-only: nodes labelled reject=true are unresolvable for every pod. */
    static final class RejectLabelled implements FilterPlugin {
        @Override
        public String name() {
            return "RejectLabelled";
        }

        @Override
        public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
            Map<String, String> labels = node.node().getMetadata().getLabels();
            if (labels != null && "true".equals(labels.get("reject"))) {
                return Status.unresolvable(NODE_REJECTED);
            }
            return Status.success();
        }
    }

    static final String NEEDS = "node(s) didn't match pod affinity rules";

    /** Test-only affinity: a pod labelled need=T fits only a node with a pod labelled team=T (read off the node). */
    static final class Needs implements FilterPlugin {
        @Override
        public String name() {
            return "Needs";
        }

        @Override
        public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
            Map<String, String> labels = pod.pod().getMetadata().getLabels();
            String needed = labels == null ? null : labels.get("need");
            if (needed == null) {
                return Status.success();
            }
            for (PodInfo other : node.pods()) {
                Map<String, String> otherLabels = other.pod().getMetadata().getLabels();
                if (otherLabels != null && needed.equals(otherLabels.get("team"))) {
                    return Status.success();
                }
            }
            return Status.unschedulable(NEEDS);
        }
    }

    /**
     * Test-only anti-affinity: a pod labelled avoid=T does not fit a node with a pod labelled team=T. PreFilter
     * counts such pods per node into the cycle state, and its extensions keep the count as pods come and go, so a
     * dry run that forgets to call them (or that writes into the real state) shows.
     */
    static final class Conflicts implements PreFilterPlugin, FilterPlugin, PreFilterPlugin.Extensions {

        static final CycleState.Key<Counts> KEY = new CycleState.Key<>("Conflicts");

        static final class Counts implements CycleState.Data {
            final Map<String, Integer> perNode;

            Counts(Map<String, Integer> perNode) {
                this.perNode = perNode;
            }

            @Override
            public Counts copy() {
                return new Counts(new HashMap<>(perNode));
            }
        }

        @Override
        public String name() {
            return "Conflicts";
        }

        private static String avoided(PodInfo pod) {
            Map<String, String> labels = pod.pod().getMetadata().getLabels();
            return labels == null ? null : labels.get("avoid");
        }

        private static boolean conflicts(PodInfo pod, PodInfo other) {
            Map<String, String> labels = other.pod().getMetadata().getLabels();
            return labels != null && avoided(pod) != null && avoided(pod).equals(labels.get("team"));
        }

        @Override
        public Result preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
            if (avoided(pod) == null) {
                return Result.of(Status.skip());
            }
            Map<String, Integer> counts = new HashMap<>();
            for (NodeInfo node : snapshot.nodes()) {
                for (PodInfo other : node.pods()) {
                    if (conflicts(pod, other)) {
                        counts.merge(node.name(), 1, Integer::sum);
                    }
                }
            }
            state.write(KEY, new Counts(counts));
            return Result.success();
        }

        @Override
        public Extensions extensions() {
            return this;
        }

        @Override
        public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
            Counts counts = state.read(KEY);
            if (counts != null && conflicts(podToSchedule, podToAdd)) {
                counts.perNode.merge(node.name(), 1, Integer::sum);
            }
            return Status.success();
        }

        @Override
        public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
            Counts counts = state.read(KEY);
            if (counts != null && conflicts(podToSchedule, podToRemove)) {
                counts.perNode.merge(node.name(), -1, Integer::sum);
            }
            return Status.success();
        }

        @Override
        public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
            Counts counts = state.read(KEY);
            if (counts != null && counts.perNode.getOrDefault(node.name(), 0) > 0) {
                return Status.unschedulable(CONFLICT);
            }
            return Status.success();
        }
    }

    /** Records what preemption asked of the API; evicting a pod named in failOn throws. */
    static final class RecordingEvictor implements VictimEvictor {
        final List<String> evicted = new ArrayList<>();
        final List<String> cleared = new ArrayList<>();
        final Set<String> failOn = new HashSet<>();

        @Override
        public void evict(PodInfo preemptor, PodInfo victim, String nodeName) throws Exception {
            if (failOn.contains(victim.name())) {
                throw new IllegalStateException("pods \"" + victim.name() + "\" is forbidden");
            }
            evicted.add(victim.name());
        }

        @Override
        public void clearNominatedNodeName(List<PodInfo> pods) {
            pods.forEach(pod -> cleared.add(pod.name()));
        }
    }
}
