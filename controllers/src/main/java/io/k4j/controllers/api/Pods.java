package io.k4j.controllers.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pod facts every workload controller asks, with upstream's definitions. */
public final class Pods {

    /** The name of the pods-by-node index ({@link Watches#index} with {@link #nodeNames}). */
    public static final String BY_NODE = "spec.nodeName";

    private Pods() {
    }

    /** The pod's node, as an index value (none while unscheduled). */
    public static List<String> nodeNames(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? List.of() : List.of(node);
    }

    /** Not finished and not being deleted: counts towards a controller's replicas. */
    public static boolean isActive(Pod pod) {
        return !isTerminal(pod) && pod.getMetadata().getDeletionTimestamp() == null;
    }

    /** Phase Succeeded or Failed. */
    public static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    public static boolean isReady(Pod pod) {
        PodCondition ready = condition(pod, "Ready");
        return ready != null && "True".equals(ready.getStatus());
    }

    /** Ready for at least minReadySeconds, as of now. */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        PodCondition ready = condition(pod, "Ready");
        if (ready == null || !"True".equals(ready.getStatus())) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        if (ready.getLastTransitionTime() == null) {
            return false;
        }
        Instant since = Instant.parse(ready.getLastTransitionTime());
        return !since.plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
    }

    public static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if (type.equals(condition.getType())) {
                return condition;
            }
        }
        return null;
    }

    /**
     * A new pod from a controller's template, as upstream's pod control makes it: the template's labels, annotations,
     * finalizers and spec, a name generated from {@code generateNamePrefix} (or {@code name} if given), and a
     * controller reference to the owner.
     */
    public static Pod fromTemplate(PodTemplateSpec template, HasMetadata owner, String generateNamePrefix, String name) {
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
        Map<String, String> annotations = meta.getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(meta.getAnnotations());
        return new PodBuilder()
                .withNewMetadata()
                .withName(name).withGenerateName(name == null ? generateNamePrefix : null)
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(annotations).withFinalizers(meta.getFinalizers())
                .withOwnerReferences(List.of(OwnerRefs.controllerRef(owner)))
                .endMetadata()
                .withSpec(template.getSpec() == null ? null : new PodBuilder().withSpec(template.getSpec()).build().getSpec())
                .build();
    }
}
