package io.k4j.controllers.tainteviction;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's taint eviction controller: pods on a node with NoExecute taints are deleted at once if they do not
 * tolerate one of them, or once the shortest matching tolerationSeconds has passed since the taint was added
 * (never, for tolerations without tolerationSeconds). Each eviction marks the pod with the DisruptionTarget
 * condition and records a TaintManagerEviction event, as upstream does. Keyed by node.
 */
public final class TaintEvictionController implements Reconciler {

    public static final String NAME = "taint-eviction";
    static final String DISRUPTION_TARGET = "DisruptionTarget";

    /** When a taint without timeAdded was first seen (node/key/effect), to count its tolerationSeconds from. */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
    /** Pods waiting out their tolerationSeconds, by node, to say so when their eviction is called off. */
    private final Map<String, Set<ObjectKey>> scheduled = new ConcurrentHashMap<>();

    @Override
    public void watch(Watches watches) {
        watches.primary(Node.class)
                .index(Pod.class, Pods.BY_NODE, Pods::nodeNames)
                .mapped(Pod.class, pod -> Pods.nodeNames(pod).stream().map(ObjectKey::cluster).toList());
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Node node = context.cache(Node.class).get(key).orElse(null);
        List<Taint> noExecute = node == null || node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of() : node.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect())).toList();
        firstSeen.keySet().removeIf(taintKey -> taintKey.startsWith(key.name() + "/")
                && noExecute.stream().noneMatch(t -> taintKey.equals(taintKey(key.name(), t))));
        Instant now = context.clock().instant();
        Instant next = null;
        Set<ObjectKey> waiting = new HashSet<>();
        Set<ObjectKey> evicted = new HashSet<>();
        for (Pod pod : noExecute.isEmpty() ? List.<Pod>of() : podsOn(key.name(), context)) {
            Optional<Instant> due = EvictionTimes.evictionTime(pod, noExecute, taint -> added(key.name(), taint, now), now);
            if (due.isEmpty()) {
                continue;
            }
            if (due.get().isAfter(now)) {
                next = next == null || due.get().isBefore(next) ? due.get() : next;
                waiting.add(ObjectKey.of(pod));
            } else {
                evict(pod, now, context);
                evicted.add(ObjectKey.of(pod));
            }
        }
        reportCancelled(key.name(), waiting, evicted, context);
        return next == null ? Result.done() : Result.requeueAfter(Duration.between(now, next));
    }

    /** Pods that were waiting to be evicted from the node and no longer are (nor were evicted) are told so. */
    private void reportCancelled(String nodeName, Set<ObjectKey> waiting, Set<ObjectKey> evicted,
            Context context) {
        Set<ObjectKey> before = waiting.isEmpty() ? scheduled.remove(nodeName)
                : scheduled.put(nodeName, waiting);
        if (before == null) {
            return;
        }
        for (ObjectKey podKey : before) {
            if (waiting.contains(podKey) || evicted.contains(podKey)) {
                continue;
            }
            context.cache(Pod.class).get(podKey)
                    .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                    .filter(pod -> nodeName.equals(pod.getSpec().getNodeName()))
                    .ifPresent(pod -> context.events().normal(pod, "TaintManagerEviction",
                            "Cancelling deletion of Pod " + podKey.namespace() + "/" + podKey.name()));
        }
    }

    private static List<Pod> podsOn(String nodeName, Context context) {
        List<Pod> pods = new ArrayList<>();
        for (Pod pod : context.cache(Pod.class).indexed(Pods.BY_NODE, nodeName)) {
            if (pod.getMetadata().getDeletionTimestamp() == null) {
                pods.add(pod);
            }
        }
        return pods;
    }

    private Instant added(String nodeName, Taint taint, Instant now) {
        if (taint.getTimeAdded() != null && !taint.getTimeAdded().isEmpty()) {
            try {
                return Instant.parse(taint.getTimeAdded());
            } catch (java.time.format.DateTimeParseException e) {
                // not a time: count from when it was first seen instead
            }
        }
        return firstSeen.computeIfAbsent(taintKey(nodeName, taint), k -> now);
    }

    private static String taintKey(String nodeName, Taint taint) {
        return nodeName + "/" + taint.getKey() + "/" + taint.getEffect();
    }

    /** Marks the pod as a disruption target, then deletes it (with its own grace period). */
    private static void evict(Pod pod, Instant now, Context context) {
        String namespace = pod.getMetadata().getNamespace();
        var pods = context.client().pods().inNamespace(namespace);
        try {
            if (!Pods.isTerminal(pod)) {
                pods.resource(withDisruptionTarget(pod, now)).updateStatus();
            }
            context.events().normal(pod, "TaintManagerEviction",
                    "Marking for deletion Pod " + namespace + "/" + pod.getMetadata().getName());
            pods.withName(pod.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    static Pod withDisruptionTarget(Pod pod, Instant now) {
        Pod copy = new PodBuilder(pod).build();
        List<PodCondition> conditions = new ArrayList<>(copy.getStatus() == null || copy.getStatus().getConditions() == null
                ? List.of() : copy.getStatus().getConditions());
        conditions.removeIf(c -> DISRUPTION_TARGET.equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType(DISRUPTION_TARGET).withStatus("True")
                .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
                .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString()).build());
        return new PodBuilder(copy).editOrNewStatus().withConditions(conditions).endStatus().build();
    }
}
