package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.k4j.client.RawRequests;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet for pods bound to simulated nodes: fed by the shared pod informer, it gives each pod an IP,
 * reports its containers per their {@link PodScript}, wakes up when that script says the next change is due, and
 * confirms deletions. Work is keyed by pod uid on the {@link KeyedWorkQueue}, so one pod is never written twice
 * at once and a pod recreated under the same name is a different pod.
 */
final class PodActor implements ResourceEventHandler<Pod> {

    private static final Logger LOG = LoggerFactory.getLogger(PodActor.class);
    static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final Map<String, SimulatedNode> nodes;
    private final TaskScheduler scheduler;
    private final KeyedWorkQueue writes;
    private final Heartbeats heartbeats;
    private final Map<String, ActedPod> acted = new ConcurrentHashMap<>();
    private volatile Store<Pod> cache;

    /** What the actor keeps for one pod: its node, IP, start, what it last reported and its next wake-up. */
    private static final class ActedPod {
        final SimulatedNode node;
        final String ip;
        final Instant start;
        volatile ContainerState reported;
        TaskScheduler.Cancellable wakeUp;

        ActedPod(SimulatedNode node, String ip, Instant start) {
            this.node = node;
            this.ip = ip;
            this.start = start;
        }

        void cancelWakeUp() {
            if (wakeUp != null) {
                wakeUp.cancel();
                wakeUp = null;
            }
        }
    }

    PodActor(KubernetesClient client, Map<String, SimulatedNode> nodes, TaskScheduler scheduler,
            KeyedWorkQueue writes, Heartbeats heartbeats) {
        this.client = client;
        this.nodes = nodes;
        this.scheduler = scheduler;
        this.writes = writes;
        this.heartbeats = heartbeats;
    }

    void readFrom(Store<Pod> cache) {
        this.cache = cache;
    }

    @Override
    public void onAdd(Pod pod) {
        consider(pod);
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
        consider(pod);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
        String uid = pod.getMetadata().getUid();
        writes.enqueue(uid, () -> forget(uid));
    }

    /** Pods this actor holds an IP for: a count for tests and logs. */
    int actedPods() {
        return acted.size();
    }

    /**
     * A node's heartbeat is back: report its pods afresh (others may have changed their status meanwhile, as the
     * node lifecycle controller marks them not ready) and confirm the deletions that waited.
     */
    void resume(String nodeName) {
        acted.values().stream().filter(actedPod -> actedPod.node.name().equals(nodeName))
                .forEach(actedPod -> actedPod.reported = null);
        for (Pod pod : cache.list()) {
            if (nodeName.equals(pod.getSpec().getNodeName())) {
                consider(pod);
            }
        }
    }

    private void consider(Pod pod) {
        String node = pod.getSpec().getNodeName();
        if (node != null && nodes.containsKey(node) && heartbeats.beating(node)) { // pending pods have no node yet
            enqueue(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        }
    }

    private void enqueue(String uid, String namespace, String name) {
        writes.enqueue(uid, () -> act(uid, namespace, name));
    }

    private void act(String uid, String namespace, String name) {
        Pod pod = cache.getByKey(namespace + "/" + name);
        if (pod == null || !uid.equals(pod.getMetadata().getUid())) {
            return; // gone, or replaced by a pod of the same name (that one has its own key)
        }
        if (!heartbeats.beating(pod.getSpec().getNodeName())) {
            return; // its node plays dead; acted again when it resumes
        }
        try {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                confirmDeletion(pod);
            } else {
                report(pod);
            }
        } catch (KubernetesClientException e) {
            LOG.warn("simulation: pod {}/{}: {}; retrying in {}", namespace, name, e.getMessage(), RETRY_AFTER_ERROR);
            scheduler.schedule(() -> enqueue(uid, namespace, name), RETRY_AFTER_ERROR);
        }
    }

    private void report(Pod pod) {
        String uid = pod.getMetadata().getUid();
        ActedPod actedPod = acted.get(uid);
        if (actedPod == null) {
            actedPod = start(pod).orElse(null);
            if (actedPod == null) {
                return;
            }
        }
        ContainerTimeline timeline = new ContainerTimeline(actedPod.start, script(pod));
        Instant now = scheduler.clock().instant();
        ContainerState state = timeline.stateAt(now);
        boolean unreported = pod.getStatus() == null || !actedPod.ip.equals(pod.getStatus().getPodIP());
        PodStatus rendered = PodStatusRenderer.render(pod, state, actedPod.start, actedPod.node.internalIp(),
                actedPod.ip);
        // Someone else (the node lifecycle controller) changed the pod's readiness: report it again, as a
        // kubelet's status manager reconciles the API's pod status with its own.
        boolean readinessChanged = !java.util.Objects.equals(readiness(rendered), readiness(pod.getStatus()));
        if (unreported || !state.equals(actedPod.reported) || readinessChanged) {
            writeStatus(pod, rendered);
            actedPod.reported = state;
        }
        actedPod.cancelWakeUp();
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        actedPod.wakeUp = timeline.nextChangeAfter(now)
                .map(due -> scheduler.schedule(() -> enqueue(uid, namespace, name),
                        Duration.between(scheduler.clock().instant(), due)))
                .orElse(null);
    }

    private static String readiness(PodStatus status) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus())
                .findFirst().orElse(null);
    }

    /** First sight of a pod: its IP (kept if it had one here before) and its start (kept likewise). */
    private Optional<ActedPod> start(Pod pod) {
        SimulatedNode node = nodes.get(pod.getSpec().getNodeName());
        PodStatus status = pod.getStatus();
        String uid = pod.getMetadata().getUid();
        Optional<String> ip = node.podIps().allocate(uid, status == null ? null : status.getPodIP());
        if (ip.isEmpty()) {
            LOG.warn("simulation: no pod IP left on {} for {}/{}; retrying in {}", node.name(),
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), RETRY_AFTER_ERROR);
            scheduler.schedule(() -> enqueue(uid, pod.getMetadata().getNamespace(), pod.getMetadata().getName()),
                    RETRY_AFTER_ERROR);
            return Optional.empty();
        }
        Instant start = status != null && status.getStartTime() != null ? Timestamps.parse(status.getStartTime())
                : scheduler.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        ActedPod actedPod = new ActedPod(node, ip.get(), start);
        acted.put(uid, actedPod);
        return Optional.of(actedPod);
    }

    private static PodScript script(Pod pod) {
        try {
            return PodScript.of(pod);
        } catch (IllegalArgumentException e) {
            LOG.warn("simulation: pod {}/{}: {}; its containers run until deleted", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
            return new PodScript(Optional.empty(), 0, "Always");
        }
    }

    private void writeStatus(Pod pod, PodStatus status) {
        var pods = client.pods().inNamespace(pod.getMetadata().getNamespace());
        String name = pod.getMetadata().getName();
        Conflicts.retry(pod, () -> pods.withName(name).get(), latest -> {
            if (latest.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                pods.resource(new PodBuilder(latest).withStatus(status).build()).updateStatus();
            }
        });
    }

    /**
     * As a kubelet does once a pod's containers are stopped: remove it for good, with grace 0 and a uid precondition
     * and no propagation policy, so the finalizers the deleting client chose (foreground, orphan) stay in force.
     */
    private void confirmDeletion(Pod pod) {
        ActedPod actedPod = acted.get(pod.getMetadata().getUid());
        if (actedPod != null) {
            actedPod.cancelWakeUp();
        }
        String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();
        String options = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
                + "\"preconditions\":{\"uid\":\"" + pod.getMetadata().getUid() + "\"}}";
        try {
            int code = RawRequests.delete(client, path, options).code();
            if (code / 100 != 2 && code != 404 && code != 409) {
                LOG.warn("confirming the deletion of pod {} failed: HTTP {}", pod.getMetadata().getName(), code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("confirming the deletion of pod {} failed: {}", pod.getMetadata().getName(), e.getCause().toString());
        }
    }

    private void forget(String uid) {
        ActedPod actedPod = acted.remove(uid);
        if (actedPod != null) {
            actedPod.cancelWakeUp();
            actedPod.node.podIps().release(uid);
        }
    }

    void close() {
        acted.values().forEach(ActedPod::cancelWakeUp);
    }
}
