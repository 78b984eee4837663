package io.k4j.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Job's conditions, with upstream's types and reasons. */
public final class JobConditions {

    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    static final String SUSPENDED = "Suspended";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";

    static final String COMPLETIONS_REACHED = "CompletionsReached";
    static final String COMPLETIONS_REACHED_MESSAGE = "Reached expected number of succeeded pods";
    static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
    static final String BACKOFF_LIMIT_MESSAGE = "Job has reached the specified backoff limit";
    static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    static final String DEADLINE_MESSAGE = "Job was active longer than specified deadline";
    static final String POD_FAILURE_POLICY = "PodFailurePolicy";
    static final String FAILED_INDEXES = "FailedIndexes";
    static final String FAILED_INDEXES_MESSAGE = "Job has failed indexes";
    static final String MAX_FAILED_INDEXES_EXCEEDED = "MaxFailedIndexesExceeded";
    static final String MAX_FAILED_INDEXES_MESSAGE = "Job has exceeded the specified maximal number of failed indexes";

    private JobConditions() {
    }

    static Optional<JobCondition> trueCondition(JobStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    /** Complete or Failed: the controller leaves the Job alone from then on. */
    public static boolean isFinished(Job job) {
        return finished(job).isPresent();
    }

    /** The Job's Complete or Failed condition (whichever is True), for the CronJob and TTL controllers. */
    public static Optional<JobCondition> finished(Job job) {
        Optional<JobCondition> complete = trueCondition(job.getStatus(), COMPLETE);
        return complete.isPresent() ? complete : trueCondition(job.getStatus(), FAILED);
    }

    /**
     * Sets a condition's status, as upstream's ensureJobConditionStatus: a new condition is added only when True; one
     * already at that status is left as it is. Returns whether anything changed.
     */
    static boolean ensure(JobStatus status, String type, String value, String reason, String message, Instant now) {
        List<JobCondition> conditions = status.getConditions() == null ? new ArrayList<>()
                : new ArrayList<>(status.getConditions());
        for (int i = 0; i < conditions.size(); i++) {
            JobCondition condition = conditions.get(i);
            if (type.equals(condition.getType())) {
                if (value.equals(condition.getStatus())) {
                    return false;
                }
                conditions.set(i, condition(type, value, reason, message, now));
                status.setConditions(conditions);
                return true;
            }
        }
        if (!"True".equals(value)) {
            return false;
        }
        conditions.add(condition(type, value, reason, message, now));
        status.setConditions(conditions);
        return true;
    }

    private static JobCondition condition(String type, String value, String reason, String message, Instant now) {
        String time = JobController.timestamp(now);
        return new JobConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withLastProbeTime(time).withLastTransitionTime(time).build();
    }
}
