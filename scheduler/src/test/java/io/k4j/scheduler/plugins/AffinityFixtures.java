package io.k4j.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PreScorePlugin;
import io.k4j.scheduler.framework.ScorePlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Builders for the affinity and spreading plugin tests. */
public final class AffinityFixtures {

    private AffinityFixtures() {
    }

    /** key1, value1, key2, value2, ... */
    public static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    public static Node node(String name, String... labels) {
        Map<String, String> l = labels(labels);
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(l).endMetadata().build();
    }

    /** A pod in namespace "default" with labels; customize with {@link PodBuilder} through the operator. */
    public static Pod pod(String name, Map<String, String> labels, UnaryOperator<PodBuilder> customize) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(name + "-uid")
                .withLabels(new HashMap<>(labels)).endMetadata().withNewSpec().endSpec();
        return customize.apply(b).build();
    }

    public static Pod pod(String name, String... labels) {
        return pod(name, labels(labels), b -> b);
    }

    public static Pod onNode(Pod pod, String nodeName) {
        return new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec().build();
    }

    public static LabelSelector selector(String... kv) {
        return new LabelSelectorBuilder().withMatchLabels(labels(kv)).build();
    }

    public static LabelSelector exists(String key) {
        return new LabelSelectorBuilder().withMatchExpressions(new LabelSelectorRequirement(key, "Exists", List.of()))
                .build();
    }

    /** Builds a sealed snapshot: nodes, then existing pods each placed on its spec.nodeName. */
    public static final class Cluster {
        private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();

        public Cluster node(Node node) {
            nodes.put(node.getMetadata().getName(), new NodeInfo(node));
            return this;
        }

        public Cluster nodes(Node... list) {
            for (Node n : list) {
                node(n);
            }
            return this;
        }

        public Cluster pod(Pod pod) {
            NodeInfo info = nodes.get(pod.getSpec().getNodeName());
            if (info == null) {
                throw new IllegalArgumentException("no node " + pod.getSpec().getNodeName());
            }
            info.addPod(new PodInfo(pod));
            return this;
        }

        public Cluster pods(Pod... pods) {
            for (Pod p : pods) {
                pod(p);
            }
            return this;
        }

        public NodeInfo get(String name) {
            return nodes.get(name);
        }

        public List<NodeInfo> infos() {
            return new ArrayList<>(nodes.values());
        }

        public Snapshot snapshot() {
            return Snapshot.of(infos());
        }
    }

    /** PreScore, Score and normalisation of one plugin over the nodes: node -> score, or "*" -> -1 when it skips. */
    public static <P extends PreScorePlugin & ScorePlugin> Map<String, Long> scoreNodes(P plugin, Pod incoming,
                                                                                       List<NodeInfo> nodes) {
        PodInfo pod = new PodInfo(incoming);
        CycleState state = new CycleState();
        Status status = plugin.preScore(state, pod, nodes);
        Map<String, Long> out = new LinkedHashMap<>();
        if (status.isSkip()) {
            out.put("*", -1L);
            return out;
        }
        assertThat(status.isSuccess()).as(status.toString()).isTrue();
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = plugin.score(state, pod, nodes.get(i));
        }
        plugin.normalizeScores(state, pod, nodes, scores);
        for (int i = 0; i < scores.length; i++) {
            out.put(nodes.get(i).name(), scores[i]);
        }
        return out;
    }

    /** node, score, node, score, ... as an ordered map. */
    public static Map<String, Long> scores(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        return m;
    }
}
