package io.k4j.client;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events for a component, off the caller's thread (virtual threads, a bounded number in flight).
 * Events are aggregated: a repeat of the same reason and message for the same object within {@link #SERIES_WINDOW}
 * bumps the count of the Event already written rather than creating another, so a crash loop or a pod that keeps
 * failing to schedule cannot flood the store; and, as upstream, each object gets at most 25 events at once and one
 * more every 5 minutes ({@link EventSpamFilter}), so a ReplicaSet creating thousands of pods records a few. Beyond
 * {@link #MAX_QUEUED} waiting writes new events are dropped ({@link BackgroundWrites}), as upstream's broadcaster
 * drops them when its queue is full: under a burst the API server's capacity goes to the work, not to the story of
 * it. A failed write is logged and dropped.
 */
public final class EventRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    public static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
    public static final int MAX_QUEUED = 1000;
    static final int MAX_SERIES = 4096;
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private record SeriesKey(String uid, String reason, String message) {
    }

    private record Written(String namespace, String name, int count, Instant last) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final String component;
    private final BackgroundWrites writes = new BackgroundWrites(16, MAX_QUEUED);
    /** The events written lately, by series; as upstream's correlator, the 4,096 used last. Guarded by itself. */
    private final Map<SeriesKey, Written> recent = new LruMap<>(MAX_SERIES);
    private final AtomicLong lastNanos = new AtomicLong();
    private final EventSpamFilter spamFilter;

    public EventRecorder(KubernetesClient client, Clock clock, String component) {
        this.client = client;
        this.clock = clock;
        this.component = component;
        this.spamFilter = new EventSpamFilter(clock);
    }

    public void normal(HasMetadata regarding, String reason, String message) {
        record(regarding, "Normal", reason, null, message);
    }

    public void warning(HasMetadata regarding, String reason, String message) {
        record(regarding, "Warning", reason, null, message);
    }

    /** Records an event about {@code regarding} (type Normal or Warning; action may be null). */
    public void record(HasMetadata regarding, String type, String reason, String action, String message) {
        String uid = regarding.getMetadata().getUid();
        if (!spamFilter.allow(String.valueOf(uid))) {
            return;
        }
        String objectNamespace = regarding.getMetadata().getNamespace();
        String namespace = objectNamespace == null ? "default" : objectNamespace;
        SeriesKey key = new SeriesKey(uid, reason, message);
        Instant now = clock.instant();
        Written previous;
        Written updated = null;
        String name = regarding.getMetadata().getName() + "." + Long.toHexString(uniqueNanos(now));
        synchronized (recent) {
            previous = recent.get(key);
            if (previous != null && previous.last.plus(SERIES_WINDOW).isAfter(now)) {
                updated = new Written(previous.namespace, previous.name, previous.count + 1, now);
                recent.put(key, updated);
            } else {
                recent.put(key, new Written(namespace, name, 1, now));
            }
        }
        if (updated != null) {
            String patch = JSON.asJson(Map.of("count", updated.count, "lastTimestamp", now.toString()));
            submit("updating event " + previous.name, () -> client.v1().events().inNamespace(previous.namespace)
                    .withName(previous.name).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
            return;
        }
        String timestamp = now.toString();
        var event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(regarding.getApiVersion())
                        .withKind(regarding.getKind()).withNamespace(objectNamespace)
                        .withName(regarding.getMetadata().getName()).withUid(uid)
                        .withResourceVersion(regarding.getMetadata().getResourceVersion()).build())
                .withType(type).withReason(reason).withAction(action).withMessage(message).withCount(1)
                .withFirstTimestamp(timestamp).withLastTimestamp(timestamp)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component).withReportingInstance(component)
                .build();
        String json = JSON.asJson(event);
        submit("recording event " + reason + " for " + regarding.getMetadata().getName(), () -> {
            try {
                var response = RawRequests.post(client, "/api/v1/namespaces/" + namespace + "/events", json);
                if (response.code() / 100 != 2) {
                    LOG.warn("recording event {} for {} failed: HTTP {}", reason, regarding.getMetadata().getName(),
                            response.code());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.warn("recording event {} failed: {}", reason, e.getCause().toString());
            }
        });
    }

    /** The time in nanoseconds, as upstream names events, but never the same twice (a fake clock stands still). */
    private long uniqueNanos(Instant now) {
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return lastNanos.updateAndGet(previous -> Math.max(previous + 1, nanos));
    }

    private void submit(String what, Runnable write) {
        writes.submit(what, write);
    }

    @Override
    public void close() {
        writes.close();
    }
}
