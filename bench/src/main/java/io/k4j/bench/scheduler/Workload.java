package io.k4j.bench.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A scheduling workload shaped like one of upstream's scheduler_perf test cases: how many nodes (and their shape),
 * pods placed before measuring, and measured pods, plus upstream's CI floor for the case where it has one.
 *
 * @param initPod the i-th pod placed before measuring
 * @param measuredPod the i-th measured pod
 * @param upstreamFloor pods/s upstream's CI requires (on far bigger machines), 0 when it publishes none here
 */
public record Workload(String name, int nodes, IntFunction<Node> node, int initPods, IntFunction<Pod> initPod,
                       int measuredPods, IntFunction<Pod> measuredPod, double upstreamFloor,
                       List<PriorityClassSpec> priorityClasses) {

    /** A PriorityClass the workload needs. */
    public record PriorityClassSpec(String name, int value) {
    }

    static final int ZONES = 3;

    /** scheduler_perf's node-default: 4 CPUs, 32 GiB, 110 pods; zone labels when asked. */
    static Node node(int i, boolean zoned) {
        NodeBuilder builder = new NodeBuilder().withNewMetadata().withName("node-" + i)
                .addToLabels("kubernetes.io/hostname", "node-" + i).addToLabels("kubernetes.io/os", "linux")
                .endMetadata().withNewSpec().endSpec();
        if (zoned) {
            builder.editMetadata().addToLabels("topology.kubernetes.io/zone", "zone-" + (i % ZONES)).endMetadata();
        }
        Map<String, Quantity> resources = Map.of("cpu", new Quantity("4"), "memory", new Quantity("32Gi"),
                "pods", new Quantity("110"));
        return builder.withNewStatus().withCapacity(resources).withAllocatable(resources)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus().build();
    }

    /** scheduler_perf's pod-default: one pause container requesting 100m CPU and 500Mi. */
    static PodBuilder pod(String name, String cpu) {
        Map<String, Quantity> requests = Map.of("cpu", new Quantity(cpu), "memory", new Quantity("500Mi"));
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(SchedulerBenchmark.NAMESPACE).endMetadata()
                .withNewSpec().addNewContainer().withName("pause").withImage("registry.k8s.io/pause:3.10")
                .withNewResources().withRequests(requests).withLimits(requests).endResources().endContainer().endSpec();
    }

    public static Workload schedulingBasic(int nodes, int init, int measured) {
        return new Workload("SchedulingBasic", nodes, i -> node(i, false), init, i -> pod("init-" + i, "100m").build(),
                measured, i -> pod("pod-" + i, "100m").build(), 680, List.of());
    }

    /**
     * The scheduler's memory with a big cluster: {@code placed} pods already bound round-robin to the nodes (created
     * with spec.nodeName, so the scheduler only caches them), then measured pods it places.
     */
    public static Workload heap(int nodes, int placed, int measured) {
        return new Workload("Heap", nodes, i -> node(i, false), placed,
                i -> pod("init-" + i, "10m").editSpec().withNodeName("node-" + (i % nodes)).endSpec().build(),
                measured, i -> pod("pod-" + i, "100m").build(), 0, List.of());
    }

    /** Every node labelled zone-0..2; pods require zone In [zone-0, zone-1, zone-2]. */
    public static Workload nodeAffinity(int nodes, int init, int measured) {
        IntFunction<Pod> pod = i -> withZoneAffinity(pod((i < 0 ? "init" : "pod-") + Math.abs(i), "100m")).build();
        return new Workload("SchedulingNodeAffinity", nodes, i -> node(i, true), init, i -> pod.apply(-i - 1),
                measured, pod, 220, List.of());
    }

    private static PodBuilder withZoneAffinity(PodBuilder pod) {
        return pod.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("topology.kubernetes.io/zone").withOperator("In")
                .withValues("zone-0", "zone-1", "zone-2").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec();
    }

    /** Pods labelled color=green that refuse to share a node with another green pod. */
    public static Workload podAntiAffinity(int nodes, int init, int measured) {
        return new Workload("SchedulingPodAntiAffinity", nodes, i -> node(i, false), init,
                i -> antiAffine(pod("init-" + i, "100m")).build(), measured, i -> antiAffine(pod("pod-" + i, "100m")).build(),
                60, List.of());
    }

    private static PodBuilder antiAffine(PodBuilder pod) {
        return pod.editMetadata().addToLabels("color", "green").endMetadata().editSpec().withNewAffinity()
                .withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNewLabelSelector().addToMatchLabels("color", "green").endLabelSelector()
                .withTopologyKey("kubernetes.io/hostname").endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity().endSpec();
    }

    /** Pods labelled color=blue spread over three zones with maxSkew 5, DoNotSchedule. */
    public static Workload topologySpread(int nodes, int init, int measured) {
        return new Workload("TopologySpreading", nodes, i -> node(i, true), init,
                i -> spread(pod("init-" + i, "100m")).build(), measured, i -> spread(pod("pod-" + i, "100m")).build(),
                0, List.of());
    }

    private static PodBuilder spread(PodBuilder pod) {
        return pod.editMetadata().addToLabels("color", "blue").endMetadata().editSpec().addNewTopologySpreadConstraint()
                .withMaxSkew(5).withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector().addToMatchLabels("color", "blue").endLabelSelector()
                .endTopologySpreadConstraint().endSpec();
    }

    /**
     * Low-priority pods fill every node (4 × 900m of 4 CPUs); each measured high-priority pod needs 3 CPUs, so
     * preemption must evict three victims to place it.
     */
    public static Workload preemption(int nodes, int measured) {
        return new Workload("PreemptionBasic", nodes, i -> node(i, false), nodes * 4,
                i -> pod("low-" + i, "900m").editSpec().withPriorityClassName("bench-low").endSpec().build(), measured,
                i -> pod("high-" + i, "3").editSpec().withPriorityClassName("bench-high").endSpec().build(), 0,
                List.of(new PriorityClassSpec("bench-low", 10), new PriorityClassSpec("bench-high", 1000)));
    }
}
