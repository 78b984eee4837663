package io.k4j.controllers.ttlafterfinished;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import io.k4j.controllers.job.JobConditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Deletes finished Jobs (with their pods, in the background) ttlSecondsAfterFinished after they finished. */
public final class TtlAfterFinishedController implements Reconciler {

    public static final String NAME = "ttl-after-finished";

    @Override
    public void watch(Watches watches) {
        watches.primary(Job.class);
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Optional<Duration> left = context.cache(Job.class).get(key).flatMap(job -> timeLeft(job, context.clock().instant()));
        if (left.isEmpty()) {
            return Result.done();
        }
        if (left.get().isPositive()) {
            return Result.requeueAfter(left.get());
        }
        // As upstream: the cache may be stale (the TTL changed, the Job restarted), so the live Job decides.
        Job live = context.client().resources(Job.class).inNamespace(key.namespace()).withName(key.name()).get();
        Optional<Duration> liveLeft = live == null ? Optional.empty() : timeLeft(live, context.clock().instant());
        if (liveLeft.isEmpty()) {
            return Result.done();
        }
        if (liveLeft.get().isPositive()) {
            return Result.requeueAfter(liveLeft.get());
        }
        context.client().resources(Job.class).inNamespace(key.namespace()).withName(key.name())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        return Result.done();
    }

    /** How long the Job has left; empty when it has no TTL, has not finished, or is already being deleted. */
    static Optional<Duration> timeLeft(Job job, Instant now) {
        Integer ttl = job.getSpec() == null ? null : job.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null || job.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        Optional<JobCondition> finished = JobConditions.finished(job);
        if (finished.isEmpty() || finished.get().getLastTransitionTime() == null) {
            return Optional.empty();
        }
        Instant expiry = Instant.parse(finished.get().getLastTransitionTime()).plusSeconds(ttl);
        return Optional.of(Duration.between(now, expiry));
    }
}
