package io.k4j.bench.jmh;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.bench.scheduler.Workload;
import io.k4j.scheduler.config.Profile;
import io.k4j.scheduler.core.FitError;
import io.k4j.scheduler.core.ScheduleResult;
import io.k4j.scheduler.core.SchedulingAlgorithm;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.plugins.InTreePlugins;
import io.k4j.scheduler.runtime.Framework;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One scheduling cycle (PreFilter, Filter, PreScore, Score, pick) with the default plugins over the nodes and placed
 * pods of a {@code k4j bench scheduler} workload, without the API, the queue or binding: the part of the scheduler's
 * CPU per pod that grows with the cluster. Each cycle's pod is assumed onto the node chosen, as the scheduler's cache
 * does, and the pod placed {@link #MOVING} cycles before leaves, so the cluster stays at the workload's size plus
 * that many pods however long JMH runs. Run with {@code k4j bench jmh SchedulingCycleJmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SchedulingCycleJmh {

    @Param({"SchedulingBasic", "PodAntiAffinity"})
    public String workload;

    private static final int NODES = 5000;
    private static final int PLACED = 1000;
    /** Measured pods on nodes at once; within what anti-affinity (one such pod per node) leaves free. */
    static final int MOVING = 2000;

    private Framework framework;
    private SchedulingAlgorithm algorithm;
    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final List<PodInfo> pods = new ArrayList<>();
    private final java.util.ArrayDeque<Placed> placed = new java.util.ArrayDeque<>();
    private final Snapshot snapshot = new Snapshot();
    private int next;

    @Setup
    public void setUp() throws FitError {
        Workload shape = switch (workload) {
            case "SchedulingBasic" -> Workload.schedulingBasic(NODES, PLACED, 1);
            case "PodAntiAffinity" -> Workload.podAntiAffinity(NODES, PLACED, 1);
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        };
        for (int i = 0; i < shape.nodes(); i++) {
            NodeInfo node = new NodeInfo(shape.node().apply(i));
            nodes.put(node.name(), node);
            snapshot.put(node.copy());
        }
        snapshot.seal();
        framework = Framework.build(Profile.defaults(), InTreePlugins.registry(), runner -> new BenchHandle(snapshot, runner));
        algorithm = new SchedulingAlgorithm(new Random(1), 0, new BenchHandle(snapshot, null));
        for (int i = 0; i < shape.initPods(); i++) {
            schedule(new PodInfo(shape.initPod().apply(i)));
        }
        for (int i = 0; i < 2 * MOVING; i++) {
            pods.add(new PodInfo(shape.measuredPod().apply(0).edit().editMetadata().withName("pod-" + i)
                    .withUid("uid-" + i).endMetadata().build()));
        }
    }

    private record Placed(PodInfo pod, NodeInfo node) {
    }

    @Benchmark
    public ScheduleResult scheduleOne() throws FitError {
        if (placed.size() == MOVING) {
            Placed oldest = placed.removeFirst();
            oldest.node().removePod(oldest.pod());
            snapshot.put(oldest.node().copy());
            snapshot.seal();
        }
        PodInfo pod = pods.get(next++ % pods.size());
        ScheduleResult result = schedule(pod);
        placed.addLast(new Placed(pod, nodes.get(result.node())));
        return result;
    }

    /** Schedules the pod and adds it to the chosen node, as the cache's assume does between cycles. */
    private ScheduleResult schedule(PodInfo pod) throws FitError {
        ScheduleResult result = algorithm.schedule(framework, new CycleState(), pod, snapshot);
        NodeInfo node = nodes.get(result.node());
        node.addPod(pod);
        snapshot.put(node.copy());
        snapshot.seal();
        return result;
    }

    /** The Handle plugins get: the snapshot, nothing nominated, no API, events dropped. */
    private record BenchHandle(Snapshot snapshot, PluginRunner runner)
            implements Handle, Handle.Listers, Handle.Nominator, Handle.EventRecorder {

        @Override
        public KubernetesClient client() {
            throw new UnsupportedOperationException("no API in this benchmark");
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public Listers listers() {
            return this;
        }

        @Override
        public Nominator nominator() {
            return this;
        }

        @Override
        public EventRecorder events() {
            return this;
        }

        @Override
        public Map<String, String> namespaceLabels(String namespace) {
            return Map.of();
        }

        @Override
        public List<Namespace> namespaces() {
            return List.of();
        }

        @Override
        public List<PodDisruptionBudget> disruptionBudgets(String namespace) {
            return List.of();
        }

        @Override
        public List<PodInfo> nominatedPods(String nodeName) {
            return List.of();
        }

        @Override
        public void nominate(PodInfo pod, String nodeName) {
        }

        @Override
        public void record(HasMetadata regarding, String type, String reason, String action, String message) {
        }
    }
}
