package io.k4j.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.Expectations;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's Job controller: runs a Job's pods to completion (NonIndexed or Indexed), replaces failed ones after a
 * backoff until backoffLimit, honours activeDeadlineSeconds, suspend and podFailurePolicy, and keeps the Job's
 * status. Pods carry the job-tracking finalizer until the Job has counted them, so each is counted exactly once.
 */
public final class JobController implements Reconciler {

    public static final String NAME = "job";

    private final Expectations expectations;
    /** Failure backoff per Job, kept in memory as upstream keeps it. */
    private final Map<ObjectKey, FailureBackoff> backoffs = new ConcurrentHashMap<>();
    /**
     * Pods whose finalizer this controller removed but whose update the cache has not shown yet: counted already,
     * so a stale cache must not count them again (upstream's finalizer expectations).
     */
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final WrittenRevisions written = new WrittenRevisions();

    public JobController(Clock clock) {
        this.expectations = new Expectations(clock);
    }

    @Override
    public void watch(Watches watches) {
        watches.primary(Job.class)
                .owned(Pod.class, "Job")
                .cached(Pod.class, this::observe);
    }

    /** Keeps expectations and finalizer bookkeeping current as pod events arrive. */
    private void observe(Watches.Event event, Pod oldPod, Pod pod) {
        if (!JobPods.hasTrackingFinalizer(pod) || event == Watches.Event.DELETED) {
            released.remove(pod.getMetadata().getUid());
        }
        Optional<ObjectKey> job = OwnerRefs.controllerOf(pod).filter(ref -> "Job".equals(ref.getKind()))
                .map(ref -> new ObjectKey(pod.getMetadata().getNamespace(), ref.getName()));
        if (job.isEmpty()) {
            return;
        }
        switch (event) {
            case ADDED -> {
                if (pod.getMetadata().getDeletionTimestamp() == null) {
                    expectations.creationObserved(job.get());
                }
            }
            case UPDATED -> {
                if (oldPod.getMetadata().getDeletionTimestamp() == null && pod.getMetadata().getDeletionTimestamp() != null) {
                    expectations.deletionObserved(job.get());
                }
            }
            case DELETED -> {
                if (pod.getMetadata().getDeletionTimestamp() == null) {
                    expectations.deletionObserved(job.get());
                }
            }
        }
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Optional<Job> cached = context.cache(Job.class).get(key);
        if (cached.isEmpty()) {
            expectations.forget(key);
            backoffs.remove(key);
            written.forget(key);
            releaseOrphans(key, context);
            return Result.done();
        }
        Job job = cached.get();
        if (written.isStale(key, job)) {
            return Result.done(); // the cache has not caught up with our own write; its event requeues the Job
        }
        List<Pod> pods = context.cache(Pod.class).ownedBy(job.getMetadata().getUid()).stream()
                .filter(pod -> OwnerRefs.isControlledBy(pod, job)).toList();
        if (JobConditions.isFinished(job) || job.getMetadata().getDeletionTimestamp() != null) {
            // Finished or going away (its pods with it): nothing more to run, and nothing may hold the pods.
            pods.stream().filter(JobPods::hasTrackingFinalizer).filter(pod -> !alreadyReleased(pod))
                    .forEach(pod -> release(context, pod));
            return Result.done();
        }
        return new JobSync(this, key, job, pods, context).run();
    }

    /** Pods whose Job is gone keep no finalizer of ours, or they could never be deleted. */
    private void releaseOrphans(ObjectKey key, Context context) {
        for (Pod pod : context.cache(Pod.class).list(key.namespace())) {
            boolean ours = OwnerRefs.controllerOf(pod)
                    .filter(ref -> "Job".equals(ref.getKind()) && key.name().equals(ref.getName())).isPresent();
            if (ours && JobPods.hasTrackingFinalizer(pod)) {
                release(context, pod);
            }
        }
    }

    Expectations expectations() {
        return expectations;
    }

    FailureBackoff backoff(ObjectKey key) {
        return backoffs.getOrDefault(key, FailureBackoff.NONE);
    }

    void recordFinished(ObjectKey key, int succeeded, int failed, Instant now) {
        if (succeeded > 0 || failed > 0) {
            backoffs.put(key, backoff(key).after(succeeded, failed, now));
        }
    }

    boolean alreadyReleased(Pod pod) {
        return released.contains(pod.getMetadata().getUid());
    }

    /** Removes the tracking finalizer, locked on the pod's resourceVersion (a conflict retries the reconcile). */
    void release(Context context, Pod pod) {
        try {
            context.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE),
                            Serialization.asJson(JobPods.withoutTrackingFinalizer(pod)));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        released.add(pod.getMetadata().getUid());
    }

    Job writeStatus(Context context, ObjectKey key, Job job, JobStatus status) {
        Job updated = new JobBuilder(job).withStatus(status).build();
        return written.record(key, context.client().resources(Job.class).inNamespace(job.getMetadata().getNamespace())
                .resource(updated).updateStatus());
    }

    /** The API's timestamp form: whole seconds, UTC. */
    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
