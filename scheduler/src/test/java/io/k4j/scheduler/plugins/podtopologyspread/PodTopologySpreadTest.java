package io.k4j.scheduler.plugins.podtopologyspread;

import static io.k4j.scheduler.plugins.AffinityFixtures.exists;
import static io.k4j.scheduler.plugins.AffinityFixtures.labels;
import static io.k4j.scheduler.plugins.AffinityFixtures.node;
import static io.k4j.scheduler.plugins.AffinityFixtures.onNode;
import static io.k4j.scheduler.plugins.AffinityFixtures.pod;
import static io.k4j.scheduler.plugins.AffinityFixtures.scoreNodes;
import static io.k4j.scheduler.plugins.AffinityFixtures.scores;
import static io.k4j.scheduler.plugins.podtopologyspread.PodTopologySpread.ERR_REASON_CONSTRAINTS_NOT_MATCH;
import static io.k4j.scheduler.plugins.podtopologyspread.PodTopologySpread.ERR_REASON_NODE_LABEL_NOT_MATCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions.QueueingHint;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreFilterPlugin;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.plugins.AffinityFixtures.Cluster;
import io.k4j.scheduler.testing.FakeHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodTopologySpreadTest {

    private static final String ZONE = "zone";
    private static final String OK = "ok";
    private static final String FAIL = "Unschedulable: " + ERR_REASON_CONSTRAINTS_NOT_MATCH;
    private static final String MISSING = "UnschedulableAndUnresolvable: " + ERR_REASON_NODE_LABEL_NOT_MATCH;

    // ------------------------------------------------------------------ builders

    private static TopologySpreadConstraintBuilder constraint(int maxSkew, String key, String when,
                                                              LabelSelector selector) {
        return new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew).withTopologyKey(key)
                .withWhenUnsatisfiable(when).withLabelSelector(selector);
    }

    private static TopologySpreadConstraint hard(int maxSkew, String key, LabelSelector selector) {
        return constraint(maxSkew, key, "DoNotSchedule", selector).build();
    }

    private static TopologySpreadConstraint soft(int maxSkew, String key, LabelSelector selector) {
        return constraint(maxSkew, key, "ScheduleAnyway", selector).build();
    }

    private static Pod spreadPod(String name, Map<String, String> labels, TopologySpreadConstraint... constraints) {
        return spreadPod(name, labels, b -> b, constraints);
    }

    private static Pod spreadPod(String name, Map<String, String> labels, UnaryOperator<PodBuilder> more,
                                 TopologySpreadConstraint... constraints) {
        return pod(name, labels, b -> more.apply(b.editSpec().withTopologySpreadConstraints(constraints).endSpec()));
    }

    private static Pod existing(String name, String nodeName, String... labels) {
        return onNode(pod(name, labels), nodeName);
    }

    private static Cluster fourNodesTwoZones() {
        return new Cluster().nodes(
                node("node-a", ZONE, "zone1", "node", "node-a"),
                node("node-b", ZONE, "zone1", "node", "node-b"),
                node("node-x", ZONE, "zone2", "node", "node-x"),
                node("node-y", ZONE, "zone2", "node", "node-y"));
    }

    private static PodTopologySpread plugin(FakeHandle handle, Map<String, Object> args) {
        return new PodTopologySpread(new PluginArgs(args), handle);
    }

    private static String describe(Status status) {
        if (status.isSuccess()) {
            return OK;
        }
        String code = switch (status.code()) {
            case UNSCHEDULABLE -> "Unschedulable";
            case UNSCHEDULABLE_AND_UNRESOLVABLE -> "UnschedulableAndUnresolvable";
            default -> status.code().name();
        };
        return code + ": " + status.message();
    }

    /** PreFilter once, then Filter every node: node name -> "ok" or "Code: reason". */
    private static Map<String, String> runFilter(Pod incoming, Cluster cluster) {
        FakeHandle handle = new FakeHandle();
        handle.snapshot = cluster.snapshot();
        PodTopologySpread pl = plugin(handle, Map.of());
        PodInfo pod = new PodInfo(incoming);
        CycleState state = new CycleState();
        PreFilterPlugin.Result result = pl.preFilter(state, pod, handle.snapshot);
        Map<String, String> out = new LinkedHashMap<>();
        if (result.status().isSkip()) {
            out.put("*", "skip");
            return out;
        }
        assertThat(result.status().isSuccess()).as(result.status().toString()).isTrue();
        for (NodeInfo info : handle.snapshot.nodes()) {
            out.put(info.name(), describe(pl.filter(state, pod, info)));
        }
        return out;
    }

    private static Map<String, String> want(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------ Filter

    static Stream<Arguments> filterCases() {
        LabelSelector fooExists = exists("foo");
        Map<String, String> foo = labels("foo", "");
        List<Arguments> cases = new ArrayList<>();

        cases.add(Arguments.of("no constraints: skipped", pod("p", "foo", ""), fourNodesTwoZones(), want("*", "skip")));

        cases.add(Arguments.of("no existing pods",
                spreadPod("p", foo, hard(1, ZONE, fooExists)), fourNodesTwoZones(),
                want("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)));

        cases.add(Arguments.of("no existing pods, incoming pod doesn't match itself",
                spreadPod("p", foo, hard(1, ZONE, exists("bar"))), fourNodesTwoZones(),
                want("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)));

        cases.add(Arguments.of("pods spread across zones as 3/3, all nodes fit",
                spreadPod("p", foo, hard(1, ZONE, fooExists)),
                fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""), existing("a2", "node-a", "foo", ""),
                        existing("b1", "node-b", "foo", ""), existing("x1", "node-x", "foo", ""),
                        existing("y1", "node-y", "foo", ""), existing("y2", "node-y", "foo", "")),
                want("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)));

        cases.add(Arguments.of("pods spread as 1/3 because node-b has no zone label",
                spreadPod("p", foo, hard(1, ZONE, fooExists)),
                new Cluster().nodes(node("node-a", ZONE, "zone1"), node("node-b"), node("node-x", ZONE, "zone2"),
                                node("node-y", ZONE, "zone2"))
                        .pods(existing("a1", "node-a", "foo", ""), existing("b1", "node-b", "foo", ""),
                                existing("x1", "node-x", "foo", ""), existing("y1", "node-y", "foo", ""),
                                existing("y2", "node-y", "foo", "")),
                want("node-a", OK, "node-b", MISSING, "node-x", FAIL, "node-y", FAIL)));

        cases.add(Arguments.of("no node has the topology key",
                spreadPod("p", foo, hard(1, "rack", fooExists)), fourNodesTwoZones(),
                want("node-a", MISSING, "node-b", MISSING, "node-x", MISSING, "node-y", MISSING)));

        cases.add(Arguments.of("pods in other namespaces and terminating pods do not count",
                spreadPod("p", foo, hard(1, ZONE, fooExists)),
                fourNodesTwoZones().pods(
                        existing("a1", "node-a", "foo", ""),
                        onNode(pod("x1", foo, b -> b.editMetadata().withNamespace("other").endMetadata()), "node-x"),
                        onNode(pod("x2", foo, b -> b.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                                .endMetadata()), "node-x")),
                // zone1 = 1, zone2 = 0: zone1 nodes would reach skew 2
                want("node-a", FAIL, "node-b", FAIL, "node-x", OK, "node-y", OK)));

        cases.add(Arguments.of("maxSkew 2 tolerates one more",
                spreadPod("p", foo, hard(2, ZONE, fooExists)),
                fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""), existing("a2", "node-a", "foo", ""),
                        existing("x1", "node-x", "foo", "")),
                // zone1 = 2, zone2 = 1, min 1: zone1 2+1-1 = 2 <= 2
                want("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)));

        cases.add(Arguments.of("two constraints, zone and node",
                spreadPod("p", foo, hard(1, ZONE, fooExists), hard(1, "node", fooExists)),
                fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""), existing("b1", "node-b", "foo", ""),
                        existing("x1", "node-x", "foo", "")),
                // zones 2/1: zone1 fails; by node: a,b,x have 1, y has 0 -> y passes both
                want("node-a", FAIL, "node-b", FAIL, "node-x", FAIL, "node-y", OK)));

        Cluster oneEach = fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""),
                existing("x1", "node-x", "foo", ""));
        cases.add(Arguments.of("minDomains 1 (default): 1/1 fits everywhere",
                spreadPod("p", foo, hard(1, ZONE, fooExists)), oneEach,
                want("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)));
        cases.add(Arguments.of("minDomains 3 with 2 domains: global minimum is 0",
                spreadPod("p", foo, constraint(1, ZONE, "DoNotSchedule", fooExists).withMinDomains(3).build()),
                fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""), existing("x1", "node-x", "foo", "")),
                want("node-a", FAIL, "node-b", FAIL, "node-x", FAIL, "node-y", FAIL)));
        cases.add(Arguments.of("minDomains 3 with 2 domains, maxSkew 2",
                spreadPod("p", foo, constraint(2, ZONE, "DoNotSchedule", fooExists).withMinDomains(3).build()),
                fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""), existing("x1", "node-x", "foo", "")),
                want("node-a", OK, "node-b", OK, "node-x", OK, "node-y", OK)));

        // Node inclusion: zone3 (node-y, env=dev, tainted) is empty. Counted, it makes the global minimum 0.
        Cluster inclusion = new Cluster().nodes(
                        node("node-a", ZONE, "zone1", "env", "prod"),
                        node("node-x", ZONE, "zone2", "env", "prod"),
                        new NodeBuilder(node("node-y", ZONE, "zone3", "env", "dev")).withNewSpec()
                                .withTaints(new Taint("NoSchedule", "dedicated", null, "gpu")).endSpec().build())
                .pods(existing("a1", "node-a", "foo", ""), existing("x1", "node-x", "foo", ""),
                        existing("x2", "node-x", "foo", ""));
        UnaryOperator<PodBuilder> prodOnly = b -> b.editSpec().withNodeSelector(Map.of("env", "prod")).endSpec();
        cases.add(Arguments.of("nodeAffinityPolicy Honor (default) leaves out nodes the pod cannot go to",
                spreadPod("p", foo, prodOnly, hard(1, ZONE, fooExists)), inclusion,
                want("node-a", OK, "node-x", FAIL, "node-y", OK)));
        cases.add(Arguments.of("nodeAffinityPolicy Ignore counts every node",
                spreadPod("p", foo, prodOnly, constraint(1, ZONE, "DoNotSchedule", fooExists)
                        .withNodeAffinityPolicy("Ignore").build()), inclusion,
                want("node-a", FAIL, "node-x", FAIL, "node-y", OK)));
        UnaryOperator<PodBuilder> requiredAffinity = b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("dev").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                .endAffinity().endSpec();
        cases.add(Arguments.of("required node affinity is honored like nodeSelector",
                spreadPod("p", foo, requiredAffinity, hard(1, ZONE, fooExists)), inclusion,
                want("node-a", OK, "node-x", FAIL, "node-y", OK)));
        cases.add(Arguments.of("nodeTaintsPolicy Ignore (default) counts tainted nodes",
                spreadPod("p", foo, hard(1, ZONE, fooExists)), inclusion,
                want("node-a", FAIL, "node-x", FAIL, "node-y", OK)));
        cases.add(Arguments.of("nodeTaintsPolicy Honor leaves out untolerated tainted nodes",
                spreadPod("p", foo, constraint(1, ZONE, "DoNotSchedule", fooExists).withNodeTaintsPolicy("Honor")
                        .build()), inclusion,
                want("node-a", OK, "node-x", FAIL, "node-y", OK)));
        cases.add(Arguments.of("nodeTaintsPolicy Honor counts tolerated tainted nodes",
                spreadPod("p", foo, b -> b.editSpec().withTolerations(
                                new Toleration("NoSchedule", "dedicated", "Equal", null, "gpu")).endSpec(),
                        constraint(1, ZONE, "DoNotSchedule", fooExists).withNodeTaintsPolicy("Honor").build()),
                inclusion,
                want("node-a", FAIL, "node-x", FAIL, "node-y", OK)));

        Cluster versions = fourNodesTwoZones().pods(
                existing("a1", "node-a", "foo", "", "version", "v1"),
                existing("a2", "node-a", "foo", "", "version", "v1"),
                existing("x1", "node-x", "foo", "", "version", "v2"));
        Map<String, String> v2 = labels("foo", "", "version", "v2");
        cases.add(Arguments.of("without matchLabelKeys every version counts",
                spreadPod("p", v2, hard(1, ZONE, fooExists)), versions,
                want("node-a", FAIL, "node-b", FAIL, "node-x", OK, "node-y", OK)));
        cases.add(Arguments.of("matchLabelKeys counts only the pod's version",
                spreadPod("p", v2, constraint(1, ZONE, "DoNotSchedule", fooExists).withMatchLabelKeys("version")
                        .build()), versions,
                want("node-a", OK, "node-b", OK, "node-x", FAIL, "node-y", FAIL)));

        cases.add(Arguments.of("ScheduleAnyway constraints do not filter",
                spreadPod("p", foo, soft(1, ZONE, fooExists)),
                fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""), existing("a2", "node-a", "foo", "")),
                want("*", "skip")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, Pod incoming, Cluster cluster, Map<String, String> want) {
        assertThat(runFilter(incoming, cluster)).isEqualTo(want);
    }

    @Test
    void preFilterStateCounts() {
        FakeHandle handle = new FakeHandle();
        handle.snapshot = fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""),
                existing("x1", "node-x", "foo", ""), existing("x2", "node-x", "foo", "")).snapshot();
        PodTopologySpread pl = plugin(handle, Map.of());
        CycleState state = new CycleState();
        pl.preFilter(state, new PodInfo(spreadPod("p", labels("foo", ""), hard(1, ZONE, exists("foo")))),
                handle.snapshot);
        PodTopologySpread.PreFilterState s = state.read(PodTopologySpread.PRE_FILTER_KEY);
        assertThat(s.matchNum.get(0)).isEqualTo(Map.of("zone1", 1, "zone2", 2));
        assertThat(s.paths[0].value0).isEqualTo("zone1");
        assertThat(s.paths[0].num0).isEqualTo(1);
        assertThat(s.selfMatch[0]).isEqualTo(1);
    }

    @Test
    void addAndRemovePodWorkOnACopy() {
        FakeHandle handle = new FakeHandle();
        Cluster cluster = fourNodesTwoZones().pods(existing("a1", "node-a", "foo", ""),
                existing("x1", "node-x", "foo", ""), existing("x2", "node-x", "foo", ""));
        handle.snapshot = cluster.snapshot();
        PodTopologySpread pl = plugin(handle, Map.of());
        PodInfo pod = new PodInfo(spreadPod("p", labels("foo", ""), hard(1, ZONE, exists("foo"))));
        CycleState state = new CycleState();
        pl.preFilter(state, pod, handle.snapshot);
        NodeInfo nodeX = cluster.get("node-x");
        NodeInfo nodeA = cluster.get("node-a");
        assertThat(describe(pl.filter(state, pod, nodeX))).isEqualTo(FAIL);

        CycleState what = state.copy();
        PodInfo x1 = nodeX.pods().get(0);
        assertThat(pl.removePod(what, pod, x1, nodeX).isSuccess()).isTrue();
        assertThat(describe(pl.filter(what, pod, nodeX))).isEqualTo(OK);
        // the original state is untouched
        assertThat(describe(pl.filter(state, pod, nodeX))).isEqualTo(FAIL);
        assertThat(state.read(PodTopologySpread.PRE_FILTER_KEY).matchNum.get(0))
                .isEqualTo(Map.of("zone1", 1, "zone2", 2));

        // adding a matching pod to zone1 makes zone1 2 vs zone2 1
        pl.addPod(what, pod, new PodInfo(existing("a2", "node-a", "foo", "")), nodeA);
        assertThat(describe(pl.filter(what, pod, nodeA))).isEqualTo(FAIL);
        assertThat(describe(pl.filter(what, pod, nodeX))).isEqualTo(OK);

        // pods in other namespaces or not matching the selector change nothing
        pl.addPod(what, pod, new PodInfo(onNode(pod("o", labels("foo", ""),
                b -> b.editMetadata().withNamespace("other").endMetadata()), "node-x")), nodeX);
        pl.addPod(what, pod, new PodInfo(existing("bar", "node-x", "bar", "")), nodeX);
        assertThat(describe(pl.filter(what, pod, nodeX))).isEqualTo(OK);
    }

    // ------------------------------------------------------------------ Score

    private static Map<String, Long> runScore(PodTopologySpread pl, FakeHandle handle, Pod incoming,
                                              List<String> feasible) {
        return scoreNodes(pl, incoming, feasible.stream().map(handle.snapshot::get).toList());
    }

    private static Pod owned(String name, String kind, Map<String, String> labels) {
        return pod(name, labels, b -> b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder()
                .withApiVersion("apps/v1").withKind(kind).withName("owner").withUid("owner-uid")
                .withController(true).build()).endMetadata());
    }

    static Stream<Arguments> scoreCases() {
        LabelSelector fooExists = exists("foo");
        Map<String, String> foo = labels("foo", "");
        Cluster hosts = new Cluster().nodes(
                node("node-a", "kubernetes.io/hostname", "node-a", ZONE, "zone1"),
                node("node-b", "kubernetes.io/hostname", "node-b", ZONE, "zone1"),
                node("node-c", "kubernetes.io/hostname", "node-c", ZONE, "zone2"),
                node("node-d", "kubernetes.io/hostname", "node-d", ZONE, "zone2"));
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("no soft constraints: skipped", Map.of(), hosts,
                spreadPod("p", foo, hard(1, ZONE, fooExists)), List.of("node-a", "node-b"), scores("*", -1)));
        cases.add(Arguments.of("hostname, no existing pods: all 100", Map.of(), hosts,
                spreadPod("p", foo, soft(1, "kubernetes.io/hostname", fooExists)),
                List.of("node-a", "node-b", "node-c", "node-d"),
                scores("node-a", 100, "node-b", 100, "node-c", 100, "node-d", 100)));
        // weight ln(4+2); raw a = round(2*1.79) = 4, b = 2, c = d = 0; normalized 100*(max+min-s)/max
        cases.add(Arguments.of("hostname, 2/1/0/0 matching pods", Map.of(),
                copy(hosts).pods(existing("a1", "node-a", "foo", ""), existing("a2", "node-a", "foo", ""),
                        existing("b1", "node-b", "foo", ""), existing("c1", "node-c", "bar", "")),
                spreadPod("p", foo, soft(1, "kubernetes.io/hostname", fooExists)),
                List.of("node-a", "node-b", "node-c", "node-d"),
                scores("node-a", 0, "node-b", 50, "node-c", 100, "node-d", 100)));
        // zones 2/1, weight ln(2+2): raw zone1 = round(2.77) = 3, zone2 = round(1.39) = 1
        cases.add(Arguments.of("zone, 2/1 matching pods", Map.of(),
                copy(hosts).pods(existing("a1", "node-a", "foo", ""), existing("b1", "node-b", "foo", ""),
                        existing("c1", "node-c", "foo", "")),
                spreadPod("p", foo, soft(1, ZONE, fooExists)),
                List.of("node-a", "node-b", "node-c", "node-d"),
                scores("node-a", 33, "node-b", 33, "node-c", 100, "node-d", 100)));
        cases.add(Arguments.of("zone, pods on infeasible nodes still count", Map.of(),
                copy(hosts).pods(existing("a1", "node-a", "foo", ""), existing("b1", "node-b", "foo", ""),
                        existing("c1", "node-c", "foo", "")),
                spreadPod("p", foo, soft(1, ZONE, fooExists)), List.of("node-b", "node-d"),
                scores("node-b", 33, "node-d", 100)));
        // node-b lacks the zone label: ignored (0) and left out of min/max
        cases.add(Arguments.of("node missing a topology key scores 0", Map.of(),
                new Cluster().nodes(node("node-a", ZONE, "zone1"), node("node-b"), node("node-c", ZONE, "zone2"))
                        .pods(existing("a1", "node-a", "foo", "")),
                spreadPod("p", foo, soft(1, ZONE, fooExists)), List.of("node-a", "node-b", "node-c"),
                scores("node-a", 0, "node-b", 0, "node-c", 100)));

        // System defaulting: hostname maxSkew 3 + zone maxSkew 5 for pods owned by a ReplicaSet, selector = labels.
        Cluster mixed = new Cluster().nodes(
                        node("node-a", "kubernetes.io/hostname", "node-a", "topology.kubernetes.io/zone", "z1"),
                        node("node-b", "kubernetes.io/hostname", "node-b"))
                .pods(existing("a1", "node-a", "app", "web"), existing("a2", "node-a", "app", "db"));
        // a: hostname 1*ln4+2, zone 1*ln4+4 -> round(8.77) = 9; b: hostname 0+2 (no zone label, not ignored) -> 2
        cases.add(Arguments.of("system defaults for a ReplicaSet's pod; nodes without a zone still scored",
                Map.of(), mixed, owned("p", "ReplicaSet", labels("app", "web")), List.of("node-a", "node-b"),
                scores("node-a", 22, "node-b", 100)));
        cases.add(Arguments.of("system defaults for a StatefulSet's pod", Map.of(), copy(mixed),
                owned("p", "StatefulSet", labels("app", "web")), List.of("node-a", "node-b"),
                scores("node-a", 22, "node-b", 100)));
        cases.add(Arguments.of("no system defaults for a pod without a controller", Map.of(), copy(mixed),
                pod("p", "app", "web"), List.of("node-a", "node-b"), scores("*", -1)));
        cases.add(Arguments.of("no system defaults for a Job's pod", Map.of(), copy(mixed),
                owned("p", "Job", labels("app", "web")), List.of("node-a", "node-b"), scores("*", -1)));
        cases.add(Arguments.of("no system defaults for a pod without labels", Map.of(), copy(mixed),
                owned("p", "ReplicaSet", labels()), List.of("node-a", "node-b"), scores("*", -1)));
        cases.add(Arguments.of("own constraints replace the defaults", Map.of(), copy(mixed),
                spreadPod("p", labels("app", "web"), b -> b.editMetadata().withOwnerReferences(
                                new OwnerReferenceBuilder().withKind("ReplicaSet").withName("rs").withUid("u").build())
                        .endMetadata(), hard(1, ZONE, exists("app"))),
                List.of("node-a", "node-b"), scores("*", -1)));
        // List defaulting requires every topology key: node-b (no zone) is ignored
        Map<String, Object> listArgs = Map.of("defaultingType", "List", "defaultConstraints", List.of(
                Map.of("maxSkew", 1, "topologyKey", "topology.kubernetes.io/zone",
                        "whenUnsatisfiable", "ScheduleAnyway")));
        cases.add(Arguments.of("List defaulting", listArgs, copy(mixed),
                owned("p", "ReplicaSet", labels("app", "web")), List.of("node-a", "node-b"),
                scores("node-a", 100, "node-b", 0)));
        cases.add(Arguments.of("List defaulting without constraints: nothing", Map.of("defaultingType", "List"),
                copy(mixed), owned("p", "ReplicaSet", labels("app", "web")), List.of("node-a", "node-b"),
                scores("*", -1)));
        return cases.stream();
    }

    private static Cluster copy(Cluster cluster) {
        Cluster c = new Cluster();
        for (NodeInfo info : cluster.infos()) {
            c.node(info.node());
            for (PodInfo p : info.pods()) {
                c.pod(p.pod());
            }
        }
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, Map<String, Object> args, Cluster cluster, Pod incoming, List<String> feasible,
               Map<String, Long> want) {
        FakeHandle handle = new FakeHandle();
        handle.snapshot = cluster.snapshot();
        assertThat(runScore(plugin(handle, args), handle, incoming, feasible)).isEqualTo(want);
    }

    @Test
    void systemDefaultsFilterNothing() {
        Cluster cluster = new Cluster().nodes(node("node-a", "kubernetes.io/hostname", "node-a"))
                .pods(existing("a1", "node-a", "app", "web"));
        assertThat(runFilter(owned("p", "ReplicaSet", labels("app", "web")), cluster)).isEqualTo(want("*", "skip"));
    }

    @Test
    void listDefaultsWithHardConstraintFilter() {
        FakeHandle handle = new FakeHandle();
        handle.snapshot = fourNodesTwoZones().pods(existing("a1", "node-a", "app", "web")).snapshot();
        PodTopologySpread pl = plugin(handle, Map.of("defaultingType", "List", "defaultConstraints", List.of(
                Map.of("maxSkew", 1, "topologyKey", ZONE, "whenUnsatisfiable", "DoNotSchedule"))));
        PodInfo pod = new PodInfo(owned("p", "ReplicaSet", labels("app", "web")));
        CycleState state = new CycleState();
        assertThat(pl.preFilter(state, pod, handle.snapshot).status().isSuccess()).isTrue();
        assertThat(describe(pl.filter(state, pod, handle.snapshot.get("node-a")))).isEqualTo(FAIL);
        assertThat(describe(pl.filter(state, pod, handle.snapshot.get("node-x")))).isEqualTo(OK);
    }

    // ------------------------------------------------------------------ args, events

    static Stream<Arguments> invalidArgs() {
        return Stream.of(
                Arguments.of(Map.of("defaultingType", "Other")),
                Arguments.of(Map.of("defaultConstraints", List.of(Map.of("maxSkew", 1, "topologyKey", ZONE,
                        "whenUnsatisfiable", "ScheduleAnyway")))),
                Arguments.of(Map.of("defaultingType", "List", "defaultConstraints", List.of(Map.of("maxSkew", 0,
                        "topologyKey", ZONE, "whenUnsatisfiable", "ScheduleAnyway")))),
                Arguments.of(Map.of("defaultingType", "List", "defaultConstraints", List.of(Map.of("maxSkew", 1,
                        "topologyKey", ZONE, "whenUnsatisfiable", "ScheduleAnyway",
                        "labelSelector", Map.of("matchLabels", Map.of("a", "b")))))),
                Arguments.of(Map.of("defaultingType", "List", "defaultConstraints", List.of(
                        Map.of("maxSkew", 1, "topologyKey", ZONE, "whenUnsatisfiable", "ScheduleAnyway"),
                        Map.of("maxSkew", 2, "topologyKey", ZONE, "whenUnsatisfiable", "ScheduleAnyway")))));
    }

    @ParameterizedTest
    @MethodSource("invalidArgs")
    void rejectsInvalidArgs(Map<String, Object> args) {
        assertThatThrownBy(() -> plugin(new FakeHandle(), args)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidSelectorIsAnError() {
        FakeHandle handle = new FakeHandle();
        handle.snapshot = fourNodesTwoZones().snapshot();
        LabelSelector bad = new LabelSelector();
        bad.setMatchExpressions(List.of(new io.fabric8.kubernetes.api.model.LabelSelectorRequirement("a", "In",
                List.of())));
        PreFilterPlugin.Result r = plugin(handle, Map.of()).preFilter(new CycleState(),
                new PodInfo(spreadPod("p", labels(), hard(1, ZONE, bad))), handle.snapshot);
        assertThat(r.status().code()).isEqualTo(Code.ERROR);
    }

    @Test
    void eventsAndHints() {
        PodTopologySpread pl = plugin(new FakeHandle(), Map.of());
        assertThat(pl.eventsToRegister()).extracting(r -> r.event().resource())
                .containsExactly(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Resource.NODE);
        assertThat(pl.eventsToRegister().get(0).event().matches(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD,
                ClusterEvent.Action.UPDATE_POD_LABEL))).isTrue();
        assertThat(pl.eventsToRegister().get(1).event().matches(ClusterEvent.of(ClusterEvent.Resource.NODE,
                ClusterEvent.Action.UPDATE_NODE_LABEL))).isTrue();

        PodInfo pod = new PodInfo(spreadPod("p", labels("foo", ""), hard(1, ZONE, exists("foo"))));
        Pod matching = existing("m", "node-a", "foo", "");
        Pod other = existing("o", "node-a", "bar", "");
        Pod otherNs = onNode(pod("n", labels("foo", ""), b -> b.editMetadata().withNamespace("x").endMetadata()),
                "node-a");
        assertThat(pl.afterPodChange(pod, null, matching)).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterPodChange(pod, matching, null)).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterPodChange(pod, null, other)).isEqualTo(QueueingHint.SKIP);
        assertThat(pl.afterPodChange(pod, null, otherNs)).isEqualTo(QueueingHint.SKIP);
        assertThat(pl.afterPodChange(pod, other, existing("o", "node-a", "foo", ""))).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterPodChange(pod, other, existing("o", "node-a", "bar", "", "x", "y")))
                .isEqualTo(QueueingHint.SKIP);

        assertThat(pl.afterNodeChange(pod, null, node("n", ZONE, "z"))).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterNodeChange(pod, null, node("n"))).isEqualTo(QueueingHint.SKIP);
        assertThat(pl.afterNodeChange(pod, node("n", ZONE, "z"), node("n", ZONE, "z", "x", "y")))
                .isEqualTo(QueueingHint.SKIP);
        assertThat(pl.afterNodeChange(pod, node("n", ZONE, "z"), node("n", ZONE, "w"))).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterNodeChange(pod, node("n", ZONE, "z"), null)).isEqualTo(QueueingHint.QUEUE);
    }
}
