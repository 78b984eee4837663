package io.k4j.scheduler.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.client.BackgroundWrites;
import io.k4j.client.EventRecorder;
import io.k4j.scheduler.framework.Handle;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduler's writes other than bindings, done off the scheduling thread (on virtual threads, a bounded number
 * at a time): the PodScheduled condition and nominatedNodeName of pods that could not be placed, the explanation
 * annotation, and events (through the shared, aggregating {@link EventRecorder}). A write that fails is logged and
 * dropped (the next attempt writes again).
 */
public final class ClusterWrites implements Handle.EventRecorder, AutoCloseable {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;
    private final Clock clock;
    /** Status writes are never dropped for being many: one per pod that failed, and each carries its reason. */
    private final BackgroundWrites writes = new BackgroundWrites(16, Integer.MAX_VALUE);
    private final EventRecorder events;

    public ClusterWrites(KubernetesClient client, Clock clock, String component) {
        this.client = client;
        this.clock = clock;
        this.events = new EventRecorder(client, clock, component);
    }

    private void submit(String what, Runnable write) {
        writes.submit(what, write);
    }

    /**
     * Records that the pod could not be scheduled: PodScheduled=False with the reason and message, the nominated
     * node (null clears it), and the explanation annotation. Skips what the pod already shows, as upstream skips
     * unchanged conditions.
     */
    public void podUnschedulable(Pod pod, String reason, String message, String nominatedNode, Explanation explanation) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        PodCondition current = condition(pod, "PodScheduled");
        String currentNominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        boolean conditionChanged = current == null || !"False".equals(current.getStatus())
                || !Objects.equals(reason, current.getReason()) || !Objects.equals(message, current.getMessage());
        boolean nominationChanged = nominatedNode != null && !nominatedNode.equals(currentNominated);
        if (conditionChanged || nominationChanged) {
            Map<String, Object> condition = new LinkedHashMap<>();
            condition.put("type", "PodScheduled");
            condition.put("status", "False");
            condition.put("reason", reason);
            condition.put("message", message);
            condition.put("lastProbeTime", null);
            condition.put("lastTransitionTime", current != null && "False".equals(current.getStatus())
                    ? current.getLastTransitionTime() : clock.instant().toString());
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("conditions", List.of(condition));
            if (nominatedNode != null) {
                status.put("nominatedNodeName", nominatedNode);
            }
            String patch = JSON.asJson(Map.of("status", status));
            submit("updating the status of pod " + namespace + "/" + name, () -> client.pods().inNamespace(namespace)
                    .withName(name).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch));
        }
        String annotation = explanation.toJson();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations == null || !annotation.equals(annotations.get(Explanation.ANNOTATION))) {
            String patch = JSON.asJson(Map.of("metadata", Map.of("annotations", Map.of(Explanation.ANNOTATION, annotation))));
            submit("annotating pod " + namespace + "/" + name, () -> client.pods().inNamespace(namespace)
                    .withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
        }
    }

    /** Sets status.nominatedNodeName (preemption made room there for the pod). */
    public void nominate(Pod pod, String node) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String patch = JSON.asJson(Map.of("status", Map.of("nominatedNodeName", node)));
        submit("nominating pod " + namespace + "/" + name, () -> client.pods().inNamespace(namespace)
                .withName(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    }

    private static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    @Override
    public void record(HasMetadata regarding, String type, String reason, String action, String message) {
        events.record(regarding, type, reason, action, message);
    }

    @Override
    public void close() {
        writes.close();
        events.close();
    }
}
