package io.k4j.controllers.cronjob;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.OwnerRefs;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.api.Result;
import io.k4j.controllers.api.Watches;
import io.k4j.controllers.job.JobConditions;
import io.k4j.controllers.job.WrittenRevisions;
import io.k4j.cron.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's CronJob controller (v2): creates a Job named NAME-&lt;minutes since the epoch&gt; for each scheduled
 * time in the CronJob's time zone, honouring concurrencyPolicy, startingDeadlineSeconds and suspend; keeps
 * status.active, lastScheduleTime and lastSuccessfulTime; deletes finished Jobs past the history limits.
 */
public final class CronJobController implements Reconciler {

    public static final String NAME = "cronjob";
    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    /** Upstream looks again a little after the next scheduled time, so that it is surely due. */
    static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);

    private final WrittenRevisions written = new WrittenRevisions();

    @Override
    public void watch(Watches watches) {
        watches.primary(CronJob.class).owned(Job.class, "CronJob");
    }

    @Override
    public Result reconcile(ObjectKey key, Context context) {
        Optional<CronJob> cached = context.cache(CronJob.class).get(key);
        if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp() != null) {
            written.forget(key);
            return Result.done();
        }
        CronJob cronJob = cached.get();
        if (written.isStale(key, cronJob)) {
            return Result.done(); // the cache has not caught up with our own write; its event requeues the CronJob
        }
        CronJobStatus status = cronJob.getStatus() == null ? new CronJobStatus()
                : new CronJobStatusBuilder(cronJob.getStatus()).build();
        List<Job> jobs = context.cache(Job.class).ownedBy(cronJob.getMetadata().getUid()).stream()
                .filter(job -> OwnerRefs.isControlledBy(job, cronJob)).toList();
        trackJobs(cronJob, status, jobs, context);
        removeOldJobs(cronJob, jobs, context);
        Result result = schedule(cronJob, status, context);
        if (!status.equals(cronJob.getStatus() == null ? new CronJobStatus() : cronJob.getStatus())) {
            written.record(key, context.client().resources(CronJob.class).inNamespace(key.namespace())
                    .resource(new CronJobBuilder(cronJob).withStatus(status).build()).updateStatus());
        }
        return result;
    }

    /** Finished Jobs leave status.active; complete ones move lastSuccessfulTime; vanished ones are dropped. */
    private static void trackJobs(CronJob cronJob, CronJobStatus status, List<Job> jobs, Context context) {
        List<ObjectReference> active = new ArrayList<>(status.getActive() == null ? List.of() : status.getActive());
        for (Job job : jobs) {
            boolean listed = active.stream().anyMatch(ref -> job.getMetadata().getUid().equals(ref.getUid()));
            Optional<JobCondition> finished = JobConditions.finished(job);
            if (!listed && finished.isEmpty()) {
                context.events().warning(cronJob, "UnexpectedJob",
                        "Saw a job that the controller did not create or forgot: " + job.getMetadata().getName());
            } else if (listed && finished.isPresent()) {
                active.removeIf(ref -> job.getMetadata().getUid().equals(ref.getUid()));
                context.events().normal(cronJob, "SawCompletedJob", "Saw completed job: "
                        + job.getMetadata().getName() + ", status: " + finished.get().getType());
            }
            if (finished.isPresent() && JobConditions.COMPLETE.equals(finished.get().getType())
                    && job.getStatus().getCompletionTime() != null && (status.getLastSuccessfulTime() == null
                    || Instant.parse(job.getStatus().getCompletionTime())
                            .isAfter(Instant.parse(status.getLastSuccessfulTime())))) {
                status.setLastSuccessfulTime(job.getStatus().getCompletionTime());
            }
        }
        for (ObjectReference ref : List.copyOf(active)) {
            boolean cachedJob = jobs.stream().anyMatch(job -> job.getMetadata().getUid().equals(ref.getUid()));
            if (!cachedJob && !exists(ref, context)) {
                active.remove(ref);
                context.events().normal(cronJob, "MissingJob", "Active job went missing: " + ref.getName());
            }
        }
        status.setActive(active);
    }

    /** A Job just created may not be cached yet: the API server decides whether it is gone. */
    private static boolean exists(ObjectReference ref, Context context) {
        Job live = context.client().resources(Job.class).inNamespace(ref.getNamespace()).withName(ref.getName()).get();
        return live != null && Objects.equals(live.getMetadata().getUid(), ref.getUid());
    }

    /** Keeps the newest successfulJobsHistoryLimit complete and failedJobsHistoryLimit failed Jobs. */
    private static void removeOldJobs(CronJob cronJob, List<Job> jobs, Context context) {
        CronJobSpec spec = cronJob.getSpec();
        removeOldest(cronJob, jobs, JobConditions.COMPLETE, spec.getSuccessfulJobsHistoryLimit(), context);
        removeOldest(cronJob, jobs, JobConditions.FAILED, spec.getFailedJobsHistoryLimit(), context);
    }

    private static void removeOldest(CronJob cronJob, List<Job> jobs, String type, Integer limit, Context context) {
        if (limit == null) {
            return;
        }
        List<Job> finished = new ArrayList<>(jobs.stream()
                .filter(job -> job.getMetadata().getDeletionTimestamp() == null)
                .filter(job -> JobConditions.finished(job).map(c -> type.equals(c.getType())).orElse(false))
                .toList());
        finished.sort(Comparator.comparing(CronJobController::startedAt));
        for (Job job : finished.subList(0, Math.max(0, finished.size() - limit))) {
            deleteJob(cronJob, job.getMetadata().getName(), context);
        }
    }

    private static Instant startedAt(Job job) {
        String start = job.getStatus() == null ? null : job.getStatus().getStartTime();
        String time = start != null ? start : job.getMetadata().getCreationTimestamp();
        return time == null ? Instant.EPOCH : Instant.parse(time);
    }

    private static void deleteJob(CronJob cronJob, String name, Context context) {
        try {
            context.client().resources(Job.class).inNamespace(cronJob.getMetadata().getNamespace()).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            context.events().normal(cronJob, "SuccessfulDelete", "Deleted job " + name);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                context.events().warning(cronJob, "FailedDelete", "Deleted job: " + e.getMessage());
                throw e;
            }
        }
    }

    /** Starts the Job of the latest scheduled time if it is due; returns when the next one is. */
    private static Result schedule(CronJob cronJob, CronJobStatus status, Context context) {
        CronJobSpec spec = cronJob.getSpec();
        ZoneId zone = CronSchedule.zone(spec.getTimeZone());
        if (zone == null) {
            context.events().warning(cronJob, "UnknownTimeZone", "invalid timeZone: \"" + spec.getTimeZone()
                    + "\": unknown time zone " + spec.getTimeZone());
            return Result.done();
        }
        if (Boolean.TRUE.equals(spec.getSuspend())) {
            return Result.done();
        }
        if (spec.getSchedule() != null && spec.getSchedule().contains("TZ")) {
            context.events().warning(cronJob, "UnsupportedSchedule", "CRON_TZ or TZ used in schedule \""
                    + spec.getSchedule() + "\" is not officially supported, see "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(spec.getSchedule(), zone);
        } catch (CronSchedule.InvalidScheduleException e) {
            context.events().warning(cronJob, "UnparseableSchedule", "unparseable schedule: \"" + spec.getSchedule()
                    + "\" : " + e.getMessage());
            return Result.done();
        }
        Instant now = context.clock().instant();
        Instant earliest = Instant.parse(status.getLastScheduleTime() != null ? status.getLastScheduleTime()
                : cronJob.getMetadata().getCreationTimestamp());
        if (spec.getStartingDeadlineSeconds() != null) {
            Instant windowStart = now.minusSeconds(spec.getStartingDeadlineSeconds());
            earliest = windowStart.isAfter(earliest) ? windowStart : earliest;
        }
        ScheduleTimes.Missed missed = ScheduleTimes.missed(schedule, earliest, now);
        if (missed.tooMany()) {
            context.events().warning(cronJob, "TooManyMissedTimes", "too many missed start times. "
                    + "Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        Instant next = schedule.next(now);
        Result nextRun = next == null ? Result.done()
                : Result.requeueAfter(Duration.between(now, next).plus(NEXT_SCHEDULE_DELTA));
        Instant scheduled = missed.mostRecent();
        if (scheduled == null) {
            return nextRun;
        }
        if (spec.getStartingDeadlineSeconds() != null
                && scheduled.plusSeconds(spec.getStartingDeadlineSeconds()).isBefore(now)) {
            context.events().warning(cronJob, "MissSchedule", "Missed scheduled time to start a job: "
                    + DateTimeFormatter.RFC_1123_DATE_TIME.format(scheduled.atZone(zone)));
            return nextRun;
        }
        String jobName = jobName(cronJob, scheduled);
        List<ObjectReference> active = status.getActive() == null ? new ArrayList<>()
                : new ArrayList<>(status.getActive());
        if (active.stream().anyMatch(ref -> jobName.equals(ref.getName()))
                || scheduled.toString().equals(status.getLastScheduleTime())) {
            return nextRun; // this time was handled already
        }
        String policy = spec.getConcurrencyPolicy() == null ? "Allow" : spec.getConcurrencyPolicy();
        if ("Forbid".equals(policy) && !active.isEmpty()) {
            context.events().normal(cronJob, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
            return nextRun;
        }
        if ("Replace".equals(policy)) {
            for (ObjectReference ref : List.copyOf(active)) {
                deleteJob(cronJob, ref.getName(), context);
                active.remove(ref);
            }
        }
        Job job = createJob(cronJob, jobName, scheduled, zone, context);
        if (job != null) {
            active.add(new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                    .withNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid()).withResourceVersion(job.getMetadata().getResourceVersion())
                    .build());
        }
        status.setActive(active);
        status.setLastScheduleTime(scheduled.truncatedTo(ChronoUnit.SECONDS).toString());
        return nextRun;
    }

    /** NAME-&lt;scheduled time in minutes since the epoch&gt;, so each scheduled time makes one Job at most. */
    static String jobName(CronJob cronJob, Instant scheduled) {
        return cronJob.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
    }

    /** The Job, or null when one of that name exists that someone else made (nothing to track then). */
    private static Job createJob(CronJob cronJob, String name, Instant scheduled, ZoneId zone, Context context) {
        var template = cronJob.getSpec().getJobTemplate();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (template.getMetadata() != null) {
            Optional.ofNullable(template.getMetadata().getLabels()).ifPresent(labels::putAll);
            Optional.ofNullable(template.getMetadata().getAnnotations()).ifPresent(annotations::putAll);
        }
        annotations.put(SCHEDULED_TIMESTAMP, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                scheduled.truncatedTo(ChronoUnit.SECONDS).atZone(zone)));
        Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(cronJob.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(annotations)
                .withOwnerReferences(OwnerRefs.controllerRef(cronJob)).endMetadata()
                .withSpec(template.getSpec()).build();
        try {
            Job created = context.client().resources(Job.class).inNamespace(cronJob.getMetadata().getNamespace())
                    .resource(job).create();
            context.events().normal(cronJob, "SuccessfulCreate", "Created job " + name);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                context.events().warning(cronJob, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
            Job existing = context.client().resources(Job.class).inNamespace(cronJob.getMetadata().getNamespace())
                    .withName(name).get();
            return existing != null && OwnerRefs.isControlledBy(existing, cronJob)
                    && !JobConditions.isFinished(existing) ? existing : null;
        }
    }
}
