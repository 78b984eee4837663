package io.k4j.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.history.Revisions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Daemon pods as upstream makes them: the daemon tolerations, the revision hash label, pinned to one node. */
public final class DaemonPods {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private DaemonPods() {
    }

    /**
     * The tolerations upstream adds to every daemon pod: node problems must not keep a node's daemons away (and
     * hostNetwork pods do not need the pod network).
     */
    static List<Toleration> daemonTolerations(boolean hostNetwork) {
        List<Toleration> tolerations = new ArrayList<>(List.of(
                toleration("node.kubernetes.io/not-ready", "NoExecute"),
                toleration("node.kubernetes.io/unreachable", "NoExecute"),
                toleration("node.kubernetes.io/disk-pressure", "NoSchedule"),
                toleration("node.kubernetes.io/memory-pressure", "NoSchedule"),
                toleration("node.kubernetes.io/pid-pressure", "NoSchedule"),
                toleration("node.kubernetes.io/unschedulable", "NoSchedule")));
        if (hostNetwork) {
            tolerations.add(toleration("node.kubernetes.io/network-unavailable", "NoSchedule"));
        }
        return tolerations;
    }

    private static Toleration toleration(String key, String effect) {
        return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
    }

    /** The template's pod spec with the daemon tolerations added where it lacks them. */
    static PodSpec withDaemonTolerations(PodSpec template) {
        PodSpec spec = JSON.clone(template);
        List<Toleration> tolerations = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
        for (Toleration daemon : daemonTolerations(Boolean.TRUE.equals(spec.getHostNetwork()))) {
            tolerations.removeIf(t -> daemon.getKey().equals(t.getKey()) && daemon.getEffect().equals(t.getEffect()));
            tolerations.add(daemon);
        }
        spec.setTolerations(tolerations);
        return spec;
    }

    /** A new daemon pod for a node: generated name, hash label, daemon tolerations, affinity to that node only. */
    static Pod newPod(DaemonSet set, PodTemplateSpec template, String hash, String nodeName) {
        Pod pod = Pods.fromTemplate(template, set, set.getMetadata().getName() + "-", null);
        Map<String, String> labels = new LinkedHashMap<>(pod.getMetadata().getLabels());
        labels.put(Revisions.HASH_LABEL, hash);
        String generation = set.getMetadata().getAnnotations() == null ? null
                : set.getMetadata().getAnnotations().get("deprecated.daemonset.template.generation");
        if (generation != null) {
            labels.put("pod-template-generation", generation);
        }
        pod.getMetadata().setLabels(labels);
        PodSpec spec = withDaemonTolerations(pod.getSpec());
        spec.setAffinity(pinnedTo(spec.getAffinity(), nodeName));
        pod.setSpec(spec);
        return pod;
    }

    /** Upstream's ReplaceDaemonSetPodNodeNameNodeAffinity: the required node terms become "metadata.name In [node]". */
    static Affinity pinnedTo(Affinity affinity, String nodeName) {
        Affinity result = affinity == null ? new Affinity() : JSON.clone(affinity);
        NodeAffinity nodeAffinity = result.getNodeAffinity() == null ? new NodeAffinity() : result.getNodeAffinity();
        NodeSelectorTerm term = new NodeSelectorTermBuilder().addNewMatchField()
                .withKey("metadata.name").withOperator("In").withValues(nodeName).endMatchField().build();
        nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(
                new NodeSelectorBuilder().withNodeSelectorTerms(term).build());
        result.setNodeAffinity(nodeAffinity);
        return result;
    }

    /** The node a daemon pod is on, or is meant for (its pinned affinity) while not yet scheduled; null if neither. */
    static String targetNode(Pod pod) {
        if (pod.getSpec() == null) {
            return null;
        }
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return pod.getSpec().getNodeName();
        }
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        for (NodeSelectorTerm term : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()) {
            if (term.getMatchFields() == null) {
                continue;
            }
            for (NodeSelectorRequirement field : term.getMatchFields()) {
                if ("metadata.name".equals(field.getKey()) && "In".equals(field.getOperator())
                        && field.getValues() != null && field.getValues().size() == 1) {
                    return field.getValues().getFirst();
                }
            }
        }
        return null;
    }
}
