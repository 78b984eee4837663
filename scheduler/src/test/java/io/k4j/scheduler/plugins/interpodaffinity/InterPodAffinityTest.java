package io.k4j.scheduler.plugins.interpodaffinity;

import static io.k4j.scheduler.plugins.AffinityFixtures.labels;
import static io.k4j.scheduler.plugins.AffinityFixtures.node;
import static io.k4j.scheduler.plugins.AffinityFixtures.onNode;
import static io.k4j.scheduler.plugins.AffinityFixtures.pod;
import static io.k4j.scheduler.plugins.AffinityFixtures.scoreNodes;
import static io.k4j.scheduler.plugins.AffinityFixtures.scores;
import static io.k4j.scheduler.plugins.AffinityFixtures.selector;
import static io.k4j.scheduler.plugins.interpodaffinity.InterPodAffinity.ERR_REASON_AFFINITY_RULES_NOT_MATCH;
import static io.k4j.scheduler.plugins.interpodaffinity.InterPodAffinity.ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH;
import static io.k4j.scheduler.plugins.interpodaffinity.InterPodAffinity.ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions.QueueingHint;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
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

class InterPodAffinityTest {

    private static final String REGION = "region";
    private static final String ZONE = "zone";
    private static final String HOST = "kubernetes.io/hostname";
    private static final String OK = "ok";
    private static final String AFFINITY = "UnschedulableAndUnresolvable: " + ERR_REASON_AFFINITY_RULES_NOT_MATCH;
    private static final String ANTI = "Unschedulable: " + ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH;
    private static final String EXISTING = "Unschedulable: " + ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH;

    // ------------------------------------------------------------------ builders

    private static PodAffinityTerm term(String topologyKey, LabelSelector selector) {
        return new PodAffinityTermBuilder().withTopologyKey(topologyKey).withLabelSelector(selector).build();
    }

    private static PodAffinityTerm term(String topologyKey, LabelSelector selector, UnaryOperator<PodAffinityTermBuilder> more) {
        return more.apply(new PodAffinityTermBuilder().withTopologyKey(topologyKey).withLabelSelector(selector)).build();
    }

    private static WeightedPodAffinityTerm weighted(int weight, PodAffinityTerm term) {
        return new WeightedPodAffinityTerm(term, weight);
    }

    /** required affinity, required anti-affinity, preferred affinity, preferred anti-affinity */
    private static UnaryOperator<PodBuilder> affinity(List<PodAffinityTerm> required, List<PodAffinityTerm> requiredAnti,
                                                      List<WeightedPodAffinityTerm> preferred,
                                                      List<WeightedPodAffinityTerm> preferredAnti) {
        return b -> b.editSpec().withNewAffinity()
                .withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(required)
                .withPreferredDuringSchedulingIgnoredDuringExecution(preferred).endPodAffinity()
                .withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(requiredAnti)
                .withPreferredDuringSchedulingIgnoredDuringExecution(preferredAnti).endPodAntiAffinity()
                .endAffinity().endSpec();
    }

    private static UnaryOperator<PodBuilder> requires(PodAffinityTerm... terms) {
        return affinity(List.of(terms), List.of(), List.of(), List.of());
    }

    private static UnaryOperator<PodBuilder> avoids(PodAffinityTerm... terms) {
        return affinity(List.of(), List.of(terms), List.of(), List.of());
    }

    private static UnaryOperator<PodBuilder> inNamespace(String ns) {
        return b -> b.editMetadata().withNamespace(ns).endMetadata();
    }

    private static Pod existing(String name, String nodeName, Map<String, String> labels,
                                UnaryOperator<PodBuilder> more) {
        return onNode(pod(name, labels, more), nodeName);
    }

    private static Pod existing(String name, String nodeName, String... labels) {
        return onNode(pod(name, labels), nodeName);
    }

    /** node-a and node-b in region r1 (zones z1, z2), node-c in region r2 (zone z3). */
    private static Cluster threeNodes() {
        return new Cluster().nodes(
                node("node-a", REGION, "r1", ZONE, "z1", HOST, "node-a"),
                node("node-b", REGION, "r1", ZONE, "z2", HOST, "node-b"),
                node("node-c", REGION, "r2", ZONE, "z3", HOST, "node-c"));
    }

    private static FakeHandle handle(Cluster cluster) {
        FakeHandle handle = new FakeHandle();
        handle.snapshot = cluster.snapshot();
        handle.namespaceLabels.put("default", Map.of("team", "a"));
        handle.namespaceLabels.put("ns-a", Map.of("team", "a"));
        handle.namespaceLabels.put("ns-b", Map.of("team", "b"));
        return handle;
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

    private static Map<String, String> want(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Filter results of one plugin instance over a sequence of snapshots, as the scheduler runs it cycle after cycle. */
    private static Map<String, String> filterWith(InterPodAffinity pl, FakeHandle handle, Cluster cluster, Pod incoming) {
        return filterIn(pl, handle, cluster.snapshot(), incoming);
    }

    @Test
    void existingPodsAntiAffinityIsKeptUpToDateFromOneCycleToTheNext() {
        Pod incoming = pod("incoming", "app", "web");
        UnaryOperator<PodBuilder> avoidsWeb = avoids(term(HOST, selector("app", "web")));
        Pod guard = existing("guard", "node-a", Map.of("app", "db"), avoidsWeb);
        FakeHandle handle = handle(threeNodes());
        InterPodAffinity pl = new InterPodAffinity(PluginArgs.NONE, handle);

        assertThat(filterWith(pl, handle, threeNodes().pods(guard), incoming))
                .containsExactly(Map.entry("node-a", EXISTING), Map.entry("node-b", OK), Map.entry("node-c", OK));
        // The guard moves to node-b and a second one, of another workload with the same term, lands on node-c.
        Pod moved = existing("guard", "node-b", Map.of("app", "db"), avoidsWeb);
        Pod second = existing("guard-2", "node-c", Map.of("app", "cache"), avoidsWeb);
        assertThat(filterWith(pl, handle, threeNodes().pods(moved, second), incoming))
                .containsExactly(Map.entry("node-a", OK), Map.entry("node-b", EXISTING), Map.entry("node-c", EXISTING));
        // Both leave: nothing is remembered.
        assertThat(filterWith(pl, handle, threeNodes(), incoming).values()).containsOnly(OK);
    }

    @Test
    void theIncomingPodsTermsSeePlacedPodsAsTheyAreInEachCycle() {
        Pod incoming = pod("incoming", Map.of("app", "api"), avoids(term(HOST, selector("app", "web"))));
        FakeHandle handle = handle(threeNodes());
        InterPodAffinity pl = new InterPodAffinity(PluginArgs.NONE, handle);

        assertThat(filterWith(pl, handle, threeNodes().pods(existing("web-1", "node-a", "app", "web")), incoming))
                .containsExactly(Map.entry("node-a", ANTI), Map.entry("node-b", OK), Map.entry("node-c", OK));
        assertThat(filterWith(pl, handle, threeNodes().pods(existing("web-1", "node-b", "app", "web"),
                existing("web-2", "node-b", "app", "web"), existing("db", "node-c", "app", "db")), incoming))
                .containsExactly(Map.entry("node-a", OK), Map.entry("node-b", ANTI), Map.entry("node-c", OK));
        assertThat(filterWith(pl, handle, threeNodes().pods(existing("web-2", "node-b", "app", "web")), incoming))
                .containsExactly(Map.entry("node-a", OK), Map.entry("node-b", ANTI), Map.entry("node-c", OK));
        assertThat(filterWith(pl, handle, threeNodes().pods(existing("db", "node-c", "app", "db")), incoming).values())
                .containsOnly(OK);
    }

    @Test
    void oneSnapshotChangedInPlaceIsReadThroughItsJournal() {
        Pod incoming = pod("incoming", Map.of("app", "api"), avoids(term(HOST, selector("app", "web"))));
        UnaryOperator<PodBuilder> avoidsApi = avoids(term(HOST, selector("app", "api")));
        FakeHandle handle = handle(threeNodes());
        Snapshot snapshot = threeNodes().pods(existing("web", "node-a", "app", "web")).snapshot();
        InterPodAffinity pl = new InterPodAffinity(PluginArgs.NONE, handle);
        assertThat(filterIn(pl, handle, snapshot, incoming))
                .containsExactly(Map.entry("node-a", ANTI), Map.entry("node-b", OK), Map.entry("node-c", OK));

        // The cache's way: a fresh copy of each changed node goes into the same snapshot.
        NodeInfo nodeA = snapshot.get("node-a").copy();
        nodeA.removePod(new PodInfo(existing("web", "node-a", "app", "web")));
        NodeInfo nodeC = snapshot.get("node-c").copy();
        nodeC.addPod(new PodInfo(existing("guard", "node-c", Map.of("app", "db"), avoidsApi)));
        snapshot.put(nodeA);
        snapshot.put(nodeC);
        snapshot.seal();
        assertThat(filterIn(pl, handle, snapshot, incoming))
                .containsExactly(Map.entry("node-a", OK), Map.entry("node-b", OK), Map.entry("node-c", EXISTING));

        snapshot.remove("node-c");
        snapshot.seal();
        assertThat(filterIn(pl, handle, snapshot, incoming).values()).containsOnly(OK);
    }

    private static Map<String, String> filterIn(InterPodAffinity pl, FakeHandle handle, Snapshot snapshot, Pod incoming) {
        handle.snapshot = snapshot;
        CycleState state = new CycleState();
        PodInfo pod = new PodInfo(incoming);
        boolean skipped = pl.preFilter(state, pod, snapshot).status().isSkip();
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeInfo node : snapshot.nodes()) {
            out.put(node.name(), skipped ? OK : describe(pl.filter(state, pod, node)));
        }
        return new java.util.TreeMap<>(out);
    }

    private static Map<String, String> runFilter(Pod incoming, Cluster cluster) {
        FakeHandle handle = handle(cluster);
        InterPodAffinity pl = new InterPodAffinity(PluginArgs.NONE, handle);
        PodInfo pod = new PodInfo(incoming);
        CycleState state = new CycleState();
        PreFilterPlugin.Result result = pl.preFilter(state, pod, handle.snapshot);
        Map<String, String> out = new LinkedHashMap<>();
        if (result.status().isSkip()) {
            out.put("*", "skip");
            return out;
        }
        if (!result.status().isSuccess()) {
            out.put("*", describe(result.status()));
            return out;
        }
        for (NodeInfo info : handle.snapshot.nodes()) {
            out.put(info.name(), describe(pl.filter(state, pod, info)));
        }
        return out;
    }

    // ------------------------------------------------------------------ Filter

    static Stream<Arguments> filterCases() {
        LabelSelector security = selector("service", "securityscan");
        Map<String, String> securityLabels = labels("service", "securityscan");
        List<Arguments> cases = new ArrayList<>();

        cases.add(Arguments.of("no affinity anywhere: skipped", pod("p", "app", "x"),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")), want("*", "skip")));

        cases.add(Arguments.of("required affinity satisfied in the existing pod's region",
                pod("p", labels(), requires(term(REGION, security))),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                want("node-a", OK, "node-b", OK, "node-c", AFFINITY)));

        cases.add(Arguments.of("required affinity by zone",
                pod("p", labels(), requires(term(ZONE, security))),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                want("node-a", OK, "node-b", AFFINITY, "node-c", AFFINITY)));

        cases.add(Arguments.of("required affinity with In and NotIn expressions",
                pod("p", labels(), requires(term(REGION, new LabelSelector(List.of(
                        new LabelSelectorRequirement("service", "In", List.of("securityscan", "value2")),
                        new LabelSelectorRequirement("service", "NotIn", List.of("value3"))), null)))),
                threeNodes().pods(existing("e", "node-c", "service", "value2")),
                want("node-a", AFFINITY, "node-b", AFFINITY, "node-c", OK)));

        cases.add(Arguments.of("no matching pod and the pod does not match itself: nowhere",
                pod("p", labels(), requires(term(REGION, security))),
                threeNodes().pods(existing("e", "node-a", "service", "other")),
                want("node-a", AFFINITY, "node-b", AFFINITY, "node-c", AFFINITY)));

        cases.add(Arguments.of("first pod of a self-affine series goes anywhere with the topology label",
                pod("p", securityLabels, requires(term(REGION, security))),
                threeNodes().node(node("node-d", ZONE, "z4")).pods(existing("e", "node-a", "service", "other")),
                want("node-a", OK, "node-b", OK, "node-c", OK, "node-d", AFFINITY)));

        cases.add(Arguments.of("self-affine pod follows an existing match",
                pod("p", securityLabels, requires(term(REGION, security))),
                threeNodes().pods(existing("e", "node-c", "service", "securityscan")),
                want("node-a", AFFINITY, "node-b", AFFINITY, "node-c", OK)));

        cases.add(Arguments.of("matching pod in another namespace does not count",
                pod("p", labels(), requires(term(REGION, security))),
                threeNodes().pods(existing("e", "node-a", securityLabels, inNamespace("ns-b"))),
                want("node-a", AFFINITY, "node-b", AFFINITY, "node-c", AFFINITY)));

        cases.add(Arguments.of("term.namespaces lists the other namespace",
                pod("p", labels(), requires(term(REGION, security, t -> t.withNamespaces("ns-b")))),
                threeNodes().pods(existing("e", "node-a", securityLabels, inNamespace("ns-b"))),
                want("node-a", OK, "node-b", OK, "node-c", AFFINITY)));

        cases.add(Arguments.of("empty namespaceSelector means all namespaces",
                pod("p", labels(), requires(term(REGION, security, t -> t.withNewNamespaceSelector()
                        .endNamespaceSelector()))),
                threeNodes().pods(existing("e", "node-c", securityLabels, inNamespace("ns-b"))),
                want("node-a", AFFINITY, "node-b", AFFINITY, "node-c", OK)));

        cases.add(Arguments.of("namespaceSelector by namespace labels",
                pod("p", labels(), requires(term(REGION, security, t -> t.withNamespaceSelector(selector("team", "b"))))),
                threeNodes().pods(existing("e1", "node-a", securityLabels, inNamespace("ns-a")),
                        existing("e2", "node-c", securityLabels, inNamespace("ns-b"))),
                want("node-a", AFFINITY, "node-b", AFFINITY, "node-c", OK)));

        cases.add(Arguments.of("all affinity terms must be matched by one pod",
                pod("p", labels(), requires(term(REGION, security), term(ZONE, selector("app", "db")))),
                threeNodes().pods(existing("e1", "node-a", "service", "securityscan"),
                        existing("e2", "node-b", "app", "db")),
                want("node-a", AFFINITY, "node-b", AFFINITY, "node-c", AFFINITY)));
        cases.add(Arguments.of("two terms matched by one pod",
                pod("p", labels(), requires(term(REGION, security), term(ZONE, selector("app", "db")))),
                threeNodes().pods(existing("e1", "node-a", "service", "securityscan", "app", "db")),
                want("node-a", OK, "node-b", AFFINITY, "node-c", AFFINITY)));

        cases.add(Arguments.of("required anti-affinity by hostname",
                pod("p", labels(), avoids(term(HOST, security))),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                want("node-a", ANTI, "node-b", OK, "node-c", OK)));

        cases.add(Arguments.of("required anti-affinity by region",
                pod("p", labels(), avoids(term(REGION, security))),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                want("node-a", ANTI, "node-b", ANTI, "node-c", OK)));

        cases.add(Arguments.of("anti-affinity to itself with no other pods: anywhere",
                pod("p", securityLabels, avoids(term(HOST, security))), threeNodes(),
                want("node-a", OK, "node-b", OK, "node-c", OK)));

        cases.add(Arguments.of("affinity and anti-affinity together",
                pod("p", labels(), affinity(List.of(term(REGION, security)), List.of(term(HOST, security)),
                        List.of(), List.of())),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                want("node-a", ANTI, "node-b", OK, "node-c", AFFINITY)));

        cases.add(Arguments.of("an existing pod's anti-affinity keeps the pod out of its zone",
                pod("p", "app", "web"),
                threeNodes().pods(existing("e", "node-a", labels(), avoids(term(ZONE, selector("app", "web"))))),
                want("node-a", EXISTING, "node-b", OK, "node-c", OK)));

        cases.add(Arguments.of("an existing pod's anti-affinity by region",
                pod("p", "app", "web"),
                threeNodes().pods(existing("e", "node-c", labels(), avoids(term(REGION, selector("app", "web"))))),
                want("node-a", OK, "node-b", OK, "node-c", EXISTING)));

        cases.add(Arguments.of("the pod's own anti-affinity is reported before an existing pod's",
                pod("p", labels("app", "web"), avoids(term(ZONE, security))),
                threeNodes().pods(existing("e", "node-a", securityLabels, avoids(term(HOST, selector("app", "web"))))),
                want("node-a", ANTI, "node-b", OK, "node-c", OK)));

        cases.add(Arguments.of("an existing pod's anti-affinity on another key than the pod's",
                pod("p", labels("app", "web"), avoids(term(ZONE, selector("x", "y")))),
                threeNodes().pods(existing("e", "node-b", securityLabels, avoids(term(REGION, selector("app", "web"))))),
                want("node-a", EXISTING, "node-b", EXISTING, "node-c", OK)));

        cases.add(Arguments.of("an existing pod's anti-affinity does not apply to other namespaces",
                pod("p", labels("app", "web"), inNamespace("ns-b")),
                threeNodes().pods(existing("e", "node-a", labels(), avoids(term(ZONE, selector("app", "web"))))),
                want("*", "skip")));

        cases.add(Arguments.of("an existing pod's anti-affinity by namespaceSelector on the pod's namespace labels",
                pod("p", labels("app", "web"), inNamespace("ns-b")),
                threeNodes().pods(existing("e", "node-a", labels(), avoids(term(ZONE, selector("app", "web"),
                        t -> t.withNamespaceSelector(selector("team", "b")))))),
                want("node-a", EXISTING, "node-b", OK, "node-c", OK)));

        cases.add(Arguments.of("an existing pod's anti-affinity on a key the node lacks does nothing",
                pod("p", "app", "web"),
                threeNodes().pods(existing("e", "node-a", labels(), avoids(term("rack", selector("app", "web"))))),
                want("*", "skip")));

        cases.add(Arguments.of("affinity rule failure is reported before anti-affinity",
                pod("p", labels("app", "web"), requires(term(REGION, security))),
                threeNodes().pods(existing("e1", "node-a", "service", "securityscan"),
                        existing("e2", "node-c", labels(), avoids(term(ZONE, selector("app", "web"))))),
                want("node-a", OK, "node-b", OK, "node-c", AFFINITY)));

        LabelSelector invalid = new LabelSelector(List.of(new LabelSelectorRequirement("a", "In", List.of())), null);
        cases.add(Arguments.of("an invalid selector is unresolvable",
                pod("p", labels(), requires(term(REGION, invalid))), threeNodes(),
                want("*", "UnschedulableAndUnresolvable: parsing pod: values: Invalid value: []: for 'in', "
                        + "'notin' operators, values set can't be empty")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, Pod incoming, Cluster cluster, Map<String, String> want) {
        assertThat(runFilter(incoming, cluster)).isEqualTo(want);
    }

    @Test
    void addAndRemovePodWorkOnACopy() {
        Cluster cluster = threeNodes().pods(
                existing("e1", "node-a", "service", "securityscan"),
                existing("e2", "node-c", labels(), avoids(term(HOST, selector("app", "web")))));
        FakeHandle handle = handle(cluster);
        InterPodAffinity pl = new InterPodAffinity(PluginArgs.NONE, handle);
        PodInfo pod = new PodInfo(pod("p", labels("app", "web"), affinity(
                List.of(term(REGION, selector("service", "securityscan"))),
                List.of(term(HOST, selector("service", "securityscan"))), List.of(), List.of())));
        CycleState state = new CycleState();
        assertThat(pl.preFilter(state, pod, handle.snapshot).status().isSuccess()).isTrue();
        NodeInfo a = cluster.get("node-a");
        NodeInfo b = cluster.get("node-b");
        NodeInfo c = cluster.get("node-c");
        assertThat(describe(pl.filter(state, pod, a))).isEqualTo(ANTI);
        assertThat(describe(pl.filter(state, pod, b))).isEqualTo(OK);
        assertThat(describe(pl.filter(state, pod, c))).isEqualTo(AFFINITY);

        // preemption's what-if: remove the pods on node-a and node-c
        CycleState what = state.copy();
        pl.removePod(what, pod, a.pods().get(0), a);
        // now no pod matches the affinity and the incoming pod does not match itself
        assertThat(describe(pl.filter(what, pod, a))).isEqualTo(AFFINITY);
        assertThat(describe(pl.filter(what, pod, b))).isEqualTo(AFFINITY);
        // the original is untouched
        assertThat(describe(pl.filter(state, pod, a))).isEqualTo(ANTI);
        assertThat(describe(pl.filter(state, pod, b))).isEqualTo(OK);

        // a matching pod added on node-c satisfies the affinity there but also trips the pod's own anti-affinity
        pl.addPod(what, pod, new PodInfo(existing("n", "node-c", "service", "securityscan")), c);
        assertThat(describe(pl.filter(what, pod, c))).isEqualTo(ANTI);
        pl.removePod(what, pod, new PodInfo(existing("n", "node-c", "service", "securityscan")), c);
        pl.addPod(what, pod, new PodInfo(existing("n2", "node-b", "service", "securityscan")), b);
        assertThat(describe(pl.filter(what, pod, a))).isEqualTo(OK);
        CycleState what2 = state.copy();
        assertThat(PreFilterStateView.counts(what2)).isEqualTo(Map.of(REGION, Map.of("r1", 1L)));
        pl.removePod(what2, pod, c.pods().get(0), c);
        assertThat(PreFilterStateView.existing(what2)).isEmpty();
        assertThat(PreFilterStateView.existing(state)).isEqualTo(Map.of(HOST, Map.of("node-c", 1L)));
    }

    /** Reads the plugin's state in tests. */
    private static final class PreFilterStateView {
        static Map<String, Map<String, Long>> counts(CycleState state) {
            return state.read(InterPodAffinity.PRE_FILTER_KEY).affinityCounts.asMap();
        }

        static Map<String, Map<String, Long>> existing(CycleState state) {
            return state.read(InterPodAffinity.PRE_FILTER_KEY).existingAntiAffinityCounts.asMap();
        }
    }

    // ------------------------------------------------------------------ Score

    private static Map<String, Long> runScore(Map<String, Object> args, Cluster cluster, Pod incoming) {
        FakeHandle handle = handle(cluster);
        return scoreNodes(new InterPodAffinity(new PluginArgs(args), handle), incoming, handle.snapshot.nodes());
    }

    static Stream<Arguments> scoreCases() {
        LabelSelector security = selector("service", "securityscan");
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("no affinity anywhere: skipped", Map.of(), threeNodes().pods(
                existing("e", "node-a", "service", "securityscan")), pod("p"), scores("*", -1)));
        cases.add(Arguments.of("preferred affinity by region", Map.of(),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                pod("p", labels(), affinity(List.of(), List.of(), List.of(weighted(5, term(REGION, security))),
                        List.of())),
                scores("node-a", 100, "node-b", 100, "node-c", 0)));
        cases.add(Arguments.of("preferred anti-affinity by region", Map.of(),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                pod("p", labels(), affinity(List.of(), List.of(), List.of(),
                        List.of(weighted(5, term(REGION, security))))),
                scores("node-a", 0, "node-b", 0, "node-c", 100)));
        // a = 8 - 3 = 5, b = 8, c = 0 -> 62, 100, 0
        cases.add(Arguments.of("affinity and anti-affinity weights add up", Map.of(),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                pod("p", labels(), affinity(List.of(), List.of(), List.of(weighted(8, term(REGION, security))),
                        List.of(weighted(3, term(HOST, security))))),
                scores("node-a", 62, "node-b", 100, "node-c", 0)));
        cases.add(Arguments.of("matches in several domains add up", Map.of(),
                threeNodes().pods(existing("e1", "node-a", "service", "securityscan"),
                        existing("e2", "node-b", "service", "securityscan"),
                        existing("e3", "node-c", "service", "securityscan")),
                pod("p", labels(), affinity(List.of(), List.of(), List.of(weighted(5, term(ZONE, security)),
                        weighted(2, term(REGION, security))), List.of())),
                // a = 5 + 2*2 = 9, b = 9, c = 5 + 2 = 7
                scores("node-a", 100, "node-b", 100, "node-c", 0)));
        cases.add(Arguments.of("pods in other namespaces do not count", Map.of(),
                threeNodes().pods(existing("e", "node-a", labels("service", "securityscan"), inNamespace("ns-b"))),
                pod("p", labels(), affinity(List.of(), List.of(), List.of(weighted(5, term(REGION, security))),
                        List.of())),
                scores("*", -1)));
        cases.add(Arguments.of("preferred affinity with a namespaceSelector", Map.of(),
                threeNodes().pods(existing("e", "node-c", labels("service", "securityscan"), inNamespace("ns-b"))),
                pod("p", labels(), affinity(List.of(), List.of(), List.of(weighted(5, term(REGION, security,
                        t -> t.withNamespaceSelector(selector("team", "b"))))), List.of())),
                scores("node-a", 0, "node-b", 0, "node-c", 100)));
        cases.add(Arguments.of("an existing pod's required affinity, hardPodAffinityWeight 1", Map.of(),
                threeNodes().pods(existing("e", "node-a", labels(), requires(term(REGION, selector("app", "web"))))),
                pod("p", "app", "web"),
                scores("node-a", 100, "node-b", 100, "node-c", 0)));
        cases.add(Arguments.of("hardPodAffinityWeight 0 ignores existing pods' required affinity",
                Map.of("hardPodAffinityWeight", 0),
                threeNodes().pods(existing("e", "node-a", labels(), requires(term(REGION, selector("app", "web"))))),
                pod("p", "app", "web"), scores("*", -1)));
        cases.add(Arguments.of("an existing pod's preferred anti-affinity", Map.of(),
                threeNodes().pods(existing("e", "node-b", labels(), affinity(List.of(), List.of(), List.of(),
                        List.of(weighted(10, term(HOST, selector("app", "web"))))))),
                pod("p", "app", "web"),
                scores("node-a", 100, "node-b", 0, "node-c", 100)));
        cases.add(Arguments.of("an existing pod's preferred affinity and hard affinity", Map.of("hardPodAffinityWeight", 10),
                threeNodes().pods(
                        existing("e1", "node-a", labels(), requires(term(REGION, selector("app", "web")))),
                        existing("e2", "node-c", labels(), affinity(List.of(), List.of(),
                                List.of(weighted(5, term(HOST, selector("app", "web")))), List.of()))),
                pod("p", "app", "web"),
                // a = 10, b = 10, c = 5
                scores("node-a", 100, "node-b", 100, "node-c", 0)));
        cases.add(Arguments.of("ignorePreferredTermsOfExistingPods skips a pod without preferred terms",
                Map.of("ignorePreferredTermsOfExistingPods", true),
                threeNodes().pods(existing("e", "node-a", labels(), requires(term(REGION, selector("app", "web"))))),
                pod("p", "app", "web"), scores("*", -1)));
        cases.add(Arguments.of("a topology key no node has: skipped", Map.of(),
                threeNodes().pods(existing("e", "node-a", "service", "securityscan")),
                pod("p", labels(), affinity(List.of(), List.of(), List.of(weighted(5, term("other", security))),
                        List.of())),
                scores("*", -1)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, Map<String, Object> args, Cluster cluster, Pod incoming, Map<String, Long> want) {
        assertThat(runScore(args, cluster, incoming)).isEqualTo(want);
    }

    @Test
    void rejectsInvalidWeight() {
        assertThatThrownBy(() -> new InterPodAffinity(new PluginArgs(Map.of("hardPodAffinityWeight", 101)),
                new FakeHandle())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InterPodAffinity(new PluginArgs(Map.of("hardPodAffinityWeight", -1)),
                new FakeHandle())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventsAndHints() {
        InterPodAffinity pl = new InterPodAffinity(PluginArgs.NONE, new FakeHandle());
        assertThat(pl.eventsToRegister()).extracting(r -> r.event().resource()).containsExactly(
                ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Resource.NODE, ClusterEvent.Resource.NAMESPACE);
        assertThat(pl.eventsToRegister().get(0).event().actions()).containsExactlyInAnyOrder(
                ClusterEvent.Action.ADD, ClusterEvent.Action.DELETE, ClusterEvent.Action.UPDATE_POD_LABEL);
        assertThat(pl.eventsToRegister().get(1).event().actions()).contains(
                ClusterEvent.Action.ADD, ClusterEvent.Action.UPDATE_NODE_LABEL);

        PodInfo pod = new PodInfo(pod("p", labels("app", "web"), affinity(
                List.of(term(REGION, selector("service", "securityscan"))),
                List.of(term(HOST, selector("app", "web"))), List.of(), List.of())));
        Pod match = existing("m", "node-a", "service", "securityscan");
        Pod web = existing("w", "node-a", "app", "web");
        Pod other = existing("o", "node-a", "x", "y");
        assertThat(pl.afterPodChange(pod, null, match)).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterPodChange(pod, null, other)).isEqualTo(QueueingHint.SKIP);
        assertThat(pl.afterPodChange(pod, null, pod("unassigned", "service", "securityscan")))
                .isEqualTo(QueueingHint.SKIP);
        assertThat(pl.afterPodChange(pod, web, null)).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterPodChange(pod, other, null)).isEqualTo(QueueingHint.SKIP);
        assertThat(pl.afterPodChange(pod, other, match)).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterPodChange(pod, web, other)).isEqualTo(QueueingHint.QUEUE);
        assertThat(pl.afterPodChange(pod, other, existing("o", "node-a", "x", "z"))).isEqualTo(QueueingHint.SKIP);
        // deleting a pod whose anti-affinity may have blocked the pod
        Pod blocker = existing("b", "node-a", labels(), avoids(term(ZONE, selector("app", "web"))));
        assertThat(pl.afterPodChange(new PodInfo(pod("q", "app", "web")), blocker, null)).isEqualTo(QueueingHint.QUEUE);
    }

    @Test
    void parsedTermsAreCachedPerPod() {
        PodInfo info = new PodInfo(pod("p", labels(), requires(term(REGION, selector("a", "b")))));
        assertThat(info.derived(AffinityTerms.DERIVED)).isSameAs(info.derived(AffinityTerms.DERIVED));
        assertThat(info.derived(AffinityTerms.DERIVED).requiredAffinity()).hasSize(1);
        assertThat(new PodInfo(pod("q")).derived(AffinityTerms.DERIVED)).isSameAs(AffinityTerms.NONE);
    }
}
