package io.k4j.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.controllers.api.Context;
import io.k4j.controllers.api.Expectations;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.api.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** One reconcile of a Job that has not finished: count finished pods, decide the Job's fate, run its pods. */
final class JobSync {

    private final JobController controller;
    private final ObjectKey key;
    private final List<Pod> pods;
    private final Context context;
    private final Instant now;
    private final JobSpec spec;
    private final boolean indexed;
    private final int completions;
    private final boolean suspended;
    private Job job;
    private JobStatus status;
    private TreeSet<Integer> completedIndexes;
    private TreeSet<Integer> failedIndexes;

    JobSync(JobController controller, ObjectKey key, Job job, List<Pod> pods, Context context) {
        this.controller = controller;
        this.key = key;
        this.job = job;
        this.pods = pods;
        this.context = context;
        this.now = context.clock().instant();
        this.spec = job.getSpec();
        this.indexed = "Indexed".equals(spec.getCompletionMode());
        this.completions = spec.getCompletions() == null ? -1 : spec.getCompletions();
        this.suspended = Boolean.TRUE.equals(spec.getSuspend());
        this.status = job.getStatus() == null ? new JobStatus() : new JobStatusBuilder(job.getStatus()).build();
        this.completedIndexes = CompletionIndexes.parse(status.getCompletedIndexes(), Math.max(completions, 0));
        this.failedIndexes = CompletionIndexes.parse(status.getFailedIndexes(), Math.max(completions, 0));
    }

    Result run() {
        trackFinishedPods();
        List<Pod> active = pods.stream().filter(Pods::isActive).toList();
        List<Pod> terminating = pods.stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() != null && !Pods.isTerminal(pod)).toList();
        decideOutcome(active);
        Result result = Result.done();
        int removed;
        int created = 0;
        if (finishing().isPresent()) {
            removed = delete(active);
            if (active.isEmpty() && terminating.isEmpty()) {
                finish(finishing().get());
            }
        } else if (suspended) {
            removed = delete(active);
            if (JobConditions.ensure(status, JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", now)) {
                context.events().normal(job, "Suspended", "Job suspended");
            }
        } else {
            if (JobConditions.ensure(status, JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", now)) {
                context.events().normal(job, "Resumed", "Job resumed");
                // As upstream: activeDeadlineSeconds counts from the resumption, not across the suspension.
                status.setStartTime(JobController.timestamp(now));
            }
            if (status.getStartTime() == null) {
                status.setStartTime(JobController.timestamp(now));
            }
            Managed managed = manage(active, terminating);
            created = managed.created();
            removed = managed.removed();
            result = managed.result().andThen(deadlineCheck());
        }
        status.setActive(omitZero(active.size() - removed + created));
        status.setReady((int) active.stream().filter(Pods::isReady).count());
        status.setTerminating(terminating.size() + removed);
        writeIfChanged();
        return result;
    }

    // --- counting finished pods -------------------------------------------------------------------------------

    /**
     * Upstream's two-step tracking: finished pods go into status.uncountedTerminatedPods (written first), then their
     * finalizers are removed, then they move into the succeeded/failed counts. A crash between steps neither loses
     * nor double-counts a pod.
     */
    private void trackFinishedPods() {
        UncountedTerminatedPods uncounted = status.getUncountedTerminatedPods();
        Set<String> uncountedSucceeded = new LinkedHashSet<>(uncounted == null || uncounted.getSucceeded() == null
                ? List.of() : uncounted.getSucceeded());
        Set<String> uncountedFailed = new LinkedHashSet<>(uncounted == null || uncounted.getFailed() == null
                ? List.of() : uncounted.getFailed());
        boolean finishing = finishing().isPresent();
        List<Pod> toRelease = new ArrayList<>();
        int newSucceeded = 0;
        int newFailed = 0;
        boolean changed = false;
        for (Pod pod : pods) {
            if (!JobPods.hasTrackingFinalizer(pod) || controller.alreadyReleased(pod)) {
                continue;
            }
            boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
            if (!Pods.isTerminal(pod) && !deleting && !finishing) {
                continue;
            }
            toRelease.add(pod);
            String uid = pod.getMetadata().getUid();
            if (uncountedSucceeded.contains(uid) || uncountedFailed.contains(uid)) {
                continue;
            }
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase)) {
                newSucceeded++;
                changed = true;
                if (indexed) {
                    int index = CompletionIndexes.of(pod);
                    if (index != CompletionIndexes.UNKNOWN && index < completions) {
                        completedIndexes.add(index);
                    }
                } else {
                    uncountedSucceeded.add(uid);
                }
            } else if ("Failed".equals(phase) || (finishing && !suspended)) {
                PodFailurePolicies.Outcome outcome = "Failed".equals(phase)
                        ? PodFailurePolicies.evaluate(spec.getPodFailurePolicy(), pod)
                        : PodFailurePolicies.Outcome.COUNT;
                if (outcome.action() == PodFailurePolicies.Action.IGNORE) {
                    continue;
                }
                if (outcome.action() == PodFailurePolicies.Action.FAIL_JOB && finishing().isEmpty()) {
                    JobConditions.ensure(status, JobConditions.FAILURE_TARGET, "True",
                            JobConditions.POD_FAILURE_POLICY, outcome.message(), now);
                }
                markIndexFailed(pod, outcome.action() == PodFailurePolicies.Action.FAIL_INDEX);
                uncountedFailed.add(uid);
                newFailed++;
                changed = true;
            }
        }
        if (changed) {
            status.setUncountedTerminatedPods(new UncountedTerminatedPods(List.copyOf(uncountedFailed),
                    List.copyOf(uncountedSucceeded)));
            writeIndexes();
            if (indexed) {
                status.setSucceeded(omitZero(completedIndexes.size()));
            }
            job = controller.writeStatus(context, key, job, status);
            status = new JobStatusBuilder(job.getStatus()).build();
        }
        toRelease.forEach(pod -> controller.release(context, pod));
        status.setSucceeded(omitZero(indexed ? completedIndexes.size()
                : count(status.getSucceeded()) + uncountedSucceeded.size()));
        status.setFailed(omitZero(count(status.getFailed()) + uncountedFailed.size()));
        status.setUncountedTerminatedPods(new UncountedTerminatedPods());
        controller.recordFinished(key, newSucceeded, newFailed, now);
    }

    /** With backoffLimitPerIndex, an index fails on a FailIndex rule or once its failures exceed the limit. */
    private void markIndexFailed(Pod pod, boolean failIndex) {
        int index = CompletionIndexes.of(pod);
        if (!indexed || spec.getBackoffLimitPerIndex() == null || index == CompletionIndexes.UNKNOWN
                || index >= completions) {
            return;
        }
        if (failIndex || JobPods.indexFailures(List.of(pod)) > spec.getBackoffLimitPerIndex()) {
            failedIndexes.add(index);
        }
    }

    private void writeIndexes() {
        if (indexed) {
            status.setCompletedIndexes(CompletionIndexes.format(completedIndexes));
            if (spec.getBackoffLimitPerIndex() != null) {
                status.setFailedIndexes(CompletionIndexes.format(failedIndexes));
            }
        }
    }

    /** Upstream omits zero active, succeeded and failed counts (ready and terminating are always written). */
    private static Integer omitZero(int value) {
        return value == 0 ? null : value;
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }

    // --- the Job's fate ---------------------------------------------------------------------------------------

    /** FailureTarget or SuccessCriteriaMet: the Job's outcome is decided and its remaining pods are going. */
    private Optional<JobCondition> finishing() {
        Optional<JobCondition> failure = JobConditions.trueCondition(status, JobConditions.FAILURE_TARGET);
        return failure.isPresent() ? failure : JobConditions.trueCondition(status, JobConditions.SUCCESS_CRITERIA_MET);
    }

    private void decideOutcome(List<Pod> active) {
        if (finishing().isPresent()) {
            return;
        }
        int failed = count(status.getFailed());
        int backoffLimit = spec.getBackoffLimit() == null ? 6 : spec.getBackoffLimit();
        if (failed > backoffLimit || pastBackoffLimitOnFailure(active, backoffLimit)) {
            failureTarget(JobConditions.BACKOFF_LIMIT_EXCEEDED, JobConditions.BACKOFF_LIMIT_MESSAGE);
        } else if (indexed && spec.getMaxFailedIndexes() != null && failedIndexes.size() > spec.getMaxFailedIndexes()) {
            failureTarget(JobConditions.MAX_FAILED_INDEXES_EXCEEDED, JobConditions.MAX_FAILED_INDEXES_MESSAGE);
        } else if (!suspended && pastActiveDeadline()) {
            failureTarget(JobConditions.DEADLINE_EXCEEDED, JobConditions.DEADLINE_MESSAGE);
        } else if (indexed) {
            if (completedIndexes.size() == completions) {
                successCriteriaMet();
            } else if (!failedIndexes.isEmpty() && completedIndexes.size() + failedIndexes.size() == completions) {
                failureTarget(JobConditions.FAILED_INDEXES, JobConditions.FAILED_INDEXES_MESSAGE);
            }
        } else if (completions >= 0 ? count(status.getSucceeded()) >= completions
                : count(status.getSucceeded()) > 0 && active.isEmpty()) {
            successCriteriaMet();
        }
    }

    private void failureTarget(String reason, String message) {
        JobConditions.ensure(status, JobConditions.FAILURE_TARGET, "True", reason, message, now);
    }

    private void successCriteriaMet() {
        JobConditions.ensure(status, JobConditions.SUCCESS_CRITERIA_MET, "True", JobConditions.COMPLETIONS_REACHED,
                JobConditions.COMPLETIONS_REACHED_MESSAGE, now);
    }

    /** With restartPolicy OnFailure pods do not fail: their containers' restarts count against backoffLimit. */
    private boolean pastBackoffLimitOnFailure(List<Pod> active, int backoffLimit) {
        if (!"OnFailure".equals(spec.getTemplate().getSpec().getRestartPolicy())) {
            return false;
        }
        int restarts = 0;
        for (Pod pod : active) {
            if (pod.getStatus() == null) {
                continue;
            }
            restarts += Stream.of(pod.getStatus().getInitContainerStatuses(), pod.getStatus().getContainerStatuses())
                    .filter(list -> list != null).flatMap(List::stream)
                    .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
        }
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    private boolean pastActiveDeadline() {
        return spec.getActiveDeadlineSeconds() != null && status.getStartTime() != null
                && !Instant.parse(status.getStartTime()).plusSeconds(spec.getActiveDeadlineSeconds()).isAfter(now);
    }

    /** Looks again when the active deadline passes. */
    private Result deadlineCheck() {
        if (spec.getActiveDeadlineSeconds() == null || status.getStartTime() == null) {
            return Result.done();
        }
        Instant deadline = Instant.parse(status.getStartTime()).plusSeconds(spec.getActiveDeadlineSeconds());
        return Result.requeueAfter(Duration.between(now, deadline).plusMillis(1));
    }

    /** The decided outcome becomes Complete or Failed once no pod of the Job runs any more. */
    private void finish(JobCondition target) {
        if (JobConditions.SUCCESS_CRITERIA_MET.equals(target.getType())) {
            JobConditions.ensure(status, JobConditions.COMPLETE, "True", target.getReason(), target.getMessage(), now);
            status.setCompletionTime(JobController.timestamp(now));
            context.events().normal(job, "Completed", "Job completed");
        } else {
            JobConditions.ensure(status, JobConditions.FAILED, "True", target.getReason(), target.getMessage(), now);
            context.events().warning(job, target.getReason(), target.getMessage());
        }
        controller.expectations().forget(key);
    }

    // --- running pods -----------------------------------------------------------------------------------------

    /** What managing the pods did, and when to look again. */
    private record Managed(Result result, int created, int removed) {
        static final Managed NOTHING = new Managed(Result.done(), 0, 0);
    }

    /** Creates or deletes pods towards the wanted number of active ones. */
    private Managed manage(List<Pod> active, List<Pod> terminating) {
        if (!controller.expectations().satisfied(key)) {
            // The pod events still to come requeue the Job; should one be lost, the expectation times out.
            return new Managed(Result.requeueAfter(Expectations.TIMEOUT), 0, 0);
        }
        int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
        // With podReplacementPolicy Failed, a terminating pod is replaced only once it is gone.
        boolean waitForTerminating = "Failed".equals(spec.getPodReplacementPolicy());
        List<Pod> excess = new ArrayList<>();
        List<Pod> keep = new ArrayList<>(active);
        int wantActive;
        if (indexed) {
            excess.addAll(misplacedIndexPods(active));
            keep.removeAll(excess);
            wantActive = Math.min(parallelism, Math.max(0, completions - completedIndexes.size() - failedIndexes.size()));
        } else if (completions >= 0) {
            wantActive = Math.min(parallelism, Math.max(0, completions - count(status.getSucceeded())));
        } else {
            wantActive = count(status.getSucceeded()) > 0 ? 0 : parallelism;
        }
        int counted = keep.size() + (waitForTerminating ? terminating.size() : 0);
        if (counted > wantActive) {
            keep.sort(JobPods.REMOVAL_ORDER);
            excess.addAll(keep.subList(0, Math.min(keep.size(), counted - wantActive)));
        }
        if (!excess.isEmpty()) {
            return new Managed(Result.done(), 0, delete(excess));
        }
        int missing = wantActive - counted;
        if (missing <= 0) {
            return Managed.NOTHING;
        }
        Duration wait = controller.backoff(key).remaining(now);
        if (!wait.isZero()) {
            return new Managed(Result.requeueAfter(wait), 0, 0);
        }
        return new Managed(Result.done(), create(missing, active, terminating, waitForTerminating), 0);
    }

    /** Indexed Jobs: pods of completed, failed or out-of-range indexes, and second pods of one index. */
    private List<Pod> misplacedIndexPods(List<Pod> active) {
        List<Pod> misplaced = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Pod pod : active) {
            int index = CompletionIndexes.of(pod);
            if (index == CompletionIndexes.UNKNOWN || index >= completions || completedIndexes.contains(index)
                    || failedIndexes.contains(index) || !seen.add(index)) {
                misplaced.add(pod);
            }
        }
        return misplaced;
    }

    private int create(int missing, List<Pod> active, List<Pod> terminating, boolean waitForTerminating) {
        List<Pod> newPods = new ArrayList<>();
        if (indexed) {
            Set<Integer> taken = new HashSet<>();
            active.forEach(pod -> taken.add(CompletionIndexes.of(pod)));
            if (waitForTerminating) {
                terminating.forEach(pod -> taken.add(CompletionIndexes.of(pod)));
            }
            for (int index = 0; index < completions && newPods.size() < missing; index++) {
                if (!taken.contains(index) && !completedIndexes.contains(index) && !failedIndexes.contains(index)) {
                    newPods.add(JobPods.newPod(job, index, indexFailures(index)));
                }
            }
        } else {
            for (int i = 0; i < missing; i++) {
                newPods.add(JobPods.newPod(job, null, 0));
            }
        }
        controller.expectations().expect(key, newPods.size(), 0);
        int created = 0;
        for (Pod pod : newPods) {
            try {
                Pod made = context.client().pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
                context.events().normal(job, "SuccessfulCreate", "Created pod: " + made.getMetadata().getName());
                created++;
            } catch (KubernetesClientException e) {
                controller.expectations().creationObserved(key); // this one will never be seen
                context.events().warning(job, "FailedCreate", "Error creating: " + e.getMessage());
                throw e;
            }
        }
        return created;
    }

    private int indexFailures(int index) {
        if (spec.getBackoffLimitPerIndex() == null) {
            return 0;
        }
        return JobPods.indexFailures(pods.stream().filter(pod -> CompletionIndexes.of(pod) == index)
                .filter(pod -> pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase())).toList());
    }

    private int delete(List<Pod> victims) {
        if (victims.isEmpty()) {
            return 0;
        }
        controller.expectations().expect(key, 0, victims.size());
        int deleted = 0;
        for (Pod pod : victims) {
            try {
                context.client().pods().inNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName()).delete();
                context.events().normal(job, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
                deleted++;
            } catch (KubernetesClientException e) {
                controller.expectations().deletionObserved(key);
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        return deleted;
    }

    private void writeIfChanged() {
        writeIndexes();
        JobStatus before = job.getStatus() == null ? new JobStatus() : job.getStatus();
        if (!status.equals(before)) {
            job = controller.writeStatus(context, key, job, status);
        }
    }
}
