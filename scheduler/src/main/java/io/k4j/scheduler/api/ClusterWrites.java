package io.k4j.scheduler.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.scheduler.framework.Handle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's writes other than bindings, done off the scheduling thread (on virtual threads, a bounded number
 * at a time): the PodScheduled condition and nominatedNodeName of pods that could not be placed, the explanation
 * annotation, and events. Events are aggregated: a repeat of the same reason and message for the same object within
 * {@link #EVENT_SERIES_WINDOW} bumps the count of the existing Event rather than creating another, so a pod that
 * keeps failing cannot flood the store. A write that fails is logged and dropped (the next attempt writes again).
 */
public final class ClusterWrites implements Handle.EventRecorder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWrites.class);
    public static final Duration EVENT_SERIES_WINDOW = Duration.ofMinutes(10);
    /**
     * Event writes waiting beyond this many are dropped, as upstream's event broadcaster drops events when its queue
     * is full: under a burst the API server's capacity goes to bindings, not to the story of them.
     */
    public static final int MAX_QUEUED_EVENTS = 1000;
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private record EventKey(String uid, String reason, String message) {
    }

    private record RecordedEvent(String namespace, String name, int count, Instant last) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final String component;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(16);
    private final Map<EventKey, RecordedEvent> recent = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger queuedEvents = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong droppedEvents = new java.util.concurrent.atomic.AtomicLong();

    public ClusterWrites(KubernetesClient client, Clock clock, String component) {
        this.client = client;
        this.clock = clock;
        this.component = component;
    }

    private void submit(String what, Runnable write) {
        executor.execute(() -> {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                write.run();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    LOG.warn("{} failed: {}", what, e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("{} failed", what, e);
            } finally {
                inFlight.release();
            }
        });
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

    private void submitEvent(String what, Runnable write) {
        if (queuedEvents.incrementAndGet() > MAX_QUEUED_EVENTS) {
            queuedEvents.decrementAndGet();
            if (droppedEvents.getAndIncrement() % 1000 == 0) {
                LOG.warn("more than {} events are waiting to be written; dropping {} (and every 1000th is logged)",
                        MAX_QUEUED_EVENTS, what);
            }
            return;
        }
        submit(what, () -> {
            try {
                write.run();
            } finally {
                queuedEvents.decrementAndGet();
            }
        });
    }

    @Override
    public void record(HasMetadata regarding, String type, String reason, String action, String message) {
        String uid = regarding.getMetadata().getUid();
        String namespace = regarding.getMetadata().getNamespace() == null ? "default" : regarding.getMetadata().getNamespace();
        EventKey key = new EventKey(uid, reason, message);
        Instant now = clock.instant();
        RecordedEvent previous = recent.get(key);
        if (previous != null && previous.last.plus(EVENT_SERIES_WINDOW).isAfter(now)) {
            RecordedEvent updated = new RecordedEvent(previous.namespace, previous.name, previous.count + 1, now);
            recent.put(key, updated);
            String patch = JSON.asJson(Map.of("count", updated.count, "lastTimestamp", now.toString()));
            submitEvent("updating event " + previous.name, () -> client.v1().events().inNamespace(previous.namespace)
                    .withName(previous.name).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
            return;
        }
        String name = regarding.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli() * 1000 + (System.nanoTime() & 0x3ff));
        recent.put(key, new RecordedEvent(namespace, name, 1, now));
        if (recent.size() > 10_000) {
            recent.entrySet().removeIf(entry -> entry.getValue().last.plus(EVENT_SERIES_WINDOW).isBefore(now));
        }
        var event = new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(regarding.getApiVersion())
                        .withKind(regarding.getKind()).withNamespace(regarding.getMetadata().getNamespace())
                        .withName(regarding.getMetadata().getName()).withUid(uid)
                        .withResourceVersion(regarding.getMetadata().getResourceVersion()).build())
                .withType(type).withReason(reason).withAction(action).withMessage(message).withCount(1)
                .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString())
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component).withReportingInstance(component)
                .build();
        String json = JSON.asJson(event);
        submitEvent("recording event " + reason + " for " + regarding.getMetadata().getName(), () -> {
            try {
                var response = RawPost.post(client, "/api/v1/namespaces/" + namespace + "/events", json);
                if (response.code() / 100 != 2) {
                    LOG.warn("recording event {} for {} failed: HTTP {}", reason, regarding.getMetadata().getName(),
                            response.code());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("recording event {} failed: {}", reason, e.getCause().toString());
            }
        });
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
