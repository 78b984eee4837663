package io.k4j.controllers.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.ControllerOptions;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's pod garbage collector, a pass over all pods every {@link #PERIOD} (upstream's gcCheckPeriod; not on
 * every pod event, which in a large cluster would walk every pod for each one): deletes the oldest finished pods beyond terminatedPodGcThreshold, pods bound to nodes that no longer
 * exist (after a {@link #QUARANTINE}, in case the node is only late in the cache), pods being deleted that were
 * never scheduled, and pods being deleted on a not-ready node tainted out-of-service. Deletions are forced (grace
 * period 0) and a pod not finished yet is first marked Failed, as upstream does.
 */
public final class PodGcController implements Reconciler {

    public static final String NAME = "pod-garbage-collector";
    static final ObjectKey ALL = ObjectKey.cluster("all-pods");
    static final Duration PERIOD = Duration.ofSeconds(20);
    static final Duration QUARANTINE = Duration.ofSeconds(40);
    static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

    private final int terminatedThreshold;
    /** Nodes pods are bound to that the cache does not know, with when that was first noticed. */
    private final Map<String, Instant> missingNodes = new ConcurrentHashMap<>();

    public PodGcController(ControllerOptions options) {
        this(options.terminatedPodGcThreshold());
    }

    PodGcController(int terminatedThreshold) {
        this.terminatedThreshold = terminatedThreshold;
    }

    @Override
    public void watch(Watches watches) {
        watches.atStart(ALL).cached(Pod.class).cached(Node.class);
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Instant now = context.clock().instant();
        List<Pod> pods = context.cache(Pod.class).list();
        collectTerminated(pods, context);
        Duration next = collectOrphaned(pods, now, context);
        collectTerminating(pods, context);
        return Result.requeueAfter(next.compareTo(PERIOD) < 0 ? next : PERIOD);
    }

    /** The oldest finished pods beyond the threshold (evicted ones first, as upstream sorts them). */
    private void collectTerminated(List<Pod> pods, Context context) {
        if (terminatedThreshold <= 0) {
            return;
        }
        List<Pod> terminated = new ArrayList<>(pods.stream().filter(Pods::isTerminal).toList());
        int excess = terminated.size() - terminatedThreshold;
        if (excess <= 0) {
            return;
        }
        terminated.sort(Comparator.comparing((Pod pod) -> !"Evicted".equals(pod.getStatus().getReason()))
                .thenComparing(pod -> String.valueOf(pod.getMetadata().getCreationTimestamp()))
                .thenComparing(pod -> pod.getMetadata().getName()));
        for (Pod pod : terminated.subList(0, excess)) {
            forceDelete(pod, null, context);
        }
    }

    /** Pods of nodes gone for longer than the quarantine; returns when to look again for those still in it. */
    private Duration collectOrphaned(List<Pod> pods, Instant now, Context context) {
        Set<String> known = new HashSet<>();
        context.cache(Node.class).list().forEach(node -> known.add(node.getMetadata().getName()));
        Set<String> missing = new HashSet<>();
        for (Pod pod : pods) {
            String node = pod.getSpec().getNodeName();
            if (node != null && !node.isEmpty() && !known.contains(node)) {
                missing.add(node);
            }
        }
        missingNodes.keySet().retainAll(missing);
        Duration next = PERIOD;
        Set<String> gone = new HashSet<>();
        for (String node : missing) {
            Instant since = missingNodes.computeIfAbsent(node, n -> now);
            Instant release = since.plus(QUARANTINE);
            if (now.isBefore(release)) {
                Duration wait = Duration.between(now, release);
                next = wait.compareTo(next) < 0 ? wait : next;
            } else if (context.client().nodes().withName(node).get() == null) { // the cache may lag: ask the API
                gone.add(node);
            }
        }
        PodCondition reason = new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("DeletionByPodGC").withMessage("PodGC: node no longer exists")
                .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString()).build();
        for (Pod pod : pods) {
            if (gone.contains(pod.getSpec().getNodeName())) {
                forceDelete(pod, reason, context);
            }
        }
        return next;
    }

    /** Pods being deleted that no kubelet will confirm: never scheduled, or on an out-of-service node. */
    private static void collectTerminating(List<Pod> pods, Context context) {
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() == null) {
                continue;
            }
            String nodeName = pod.getSpec().getNodeName();
            if (nodeName == null || nodeName.isEmpty()) {
                forceDelete(pod, null, context);
                continue;
            }
            Node node = context.cache(Node.class).get(ObjectKey.cluster(nodeName)).orElse(null);
            if (node != null && outOfService(node)) {
                forceDelete(pod, null, context);
            }
        }
    }

    private static boolean outOfService(Node node) {
        boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus()
                .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return !ready && node.getSpec() != null && node.getSpec().getTaints() != null && node.getSpec().getTaints()
                .stream().anyMatch(t -> OUT_OF_SERVICE.equals(t.getKey()) && "NoExecute".equals(t.getEffect()));
    }

    /** Marks an unfinished pod Failed (with the condition, if any), then deletes it with grace period 0. */
    private static void forceDelete(Pod pod, PodCondition condition, Context context) {
        var pods = context.client().pods().inNamespace(pod.getMetadata().getNamespace());
        try {
            if (!Pods.isTerminal(pod)) {
                List<PodCondition> conditions = new ArrayList<>(pod.getStatus() == null
                        || pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions());
                if (condition != null) {
                    conditions.removeIf(c -> condition.getType().equals(c.getType()));
                    conditions.add(condition);
                }
                pods.resource(new PodBuilder(pod).editOrNewStatus().withPhase("Failed").withConditions(conditions)
                        .endStatus().build()).updateStatus();
            }
            pods.withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
