package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.Schema.message;

import java.util.Map;

/** batch/v1, field numbers from k8s.io/api/batch/v1/generated.proto. */
final class BatchV1 {

    static final Schema POD_FAILURE_POLICY_RULE = message()
            .string(1, "*action")
            .object(2, "onExitCodes", message().string(1, "*containerName").string(2, "*operator").int32s(3, "values"))
            .objects(3, "onPodConditions", message().string(1, "*type").string(2, "*status"));

    static final Schema SUCCESS_POLICY_RULE = message().string(1, "*succeededIndexes").int32(2, "*succeededCount");

    static final Schema JOB_SPEC = message()
            .int32(1, "*parallelism").int32(2, "*completions").int64(3, "*activeDeadlineSeconds")
            .object(11, "podFailurePolicy", message().objects(1, "rules", POD_FAILURE_POLICY_RULE))
            .object(16, "successPolicy", message().objects(1, "rules", SUCCESS_POLICY_RULE))
            .int32(7, "*backoffLimit").int32(12, "*backoffLimitPerIndex").int32(13, "*maxFailedIndexes")
            .object(4, "selector", MetaV1.LABEL_SELECTOR).bool(5, "*manualSelector")
            .object(6, "template", CoreV1.POD_TEMPLATE_SPEC).int32(8, "*ttlSecondsAfterFinished")
            .string(9, "*completionMode").bool(10, "*suspend").string(14, "*podReplacementPolicy")
            .string(15, "*managedBy");

    static final Schema JOB_CONDITION = message()
            .string(1, "*type").string(2, "*status").time(3, "lastProbeTime").time(4, "lastTransitionTime")
            .string(5, "reason").string(6, "message");

    static final Schema JOB_STATUS = message()
            .objects(1, "conditions", JOB_CONDITION).time(2, "startTime").time(3, "completionTime")
            .int32(4, "active").int32(5, "succeeded").int32(6, "failed").int32(11, "*terminating")
            .string(7, "completedIndexes").string(10, "*failedIndexes")
            .object(8, "uncountedTerminatedPods", message().strings(1, "succeeded").strings(2, "failed"))
            .int32(9, "*ready");

    static final Schema JOB = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "spec", JOB_SPEC).object(3, "status", JOB_STATUS);

    static final Schema JOB_TEMPLATE_SPEC = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "spec", JOB_SPEC);

    static final Schema CRON_JOB_SPEC = message()
            .string(1, "*schedule").string(8, "*timeZone").int64(2, "*startingDeadlineSeconds")
            .string(3, "concurrencyPolicy").bool(4, "*suspend").object(5, "jobTemplate", JOB_TEMPLATE_SPEC)
            .int32(6, "*successfulJobsHistoryLimit").int32(7, "*failedJobsHistoryLimit");

    static final Schema CRON_JOB = message()
            .object(1, "metadata", MetaV1.OBJECT_META).object(2, "spec", CRON_JOB_SPEC)
            .object(3, "status", message().objects(1, "active", CoreV1.OBJECT_REFERENCE)
                    .time(4, "lastScheduleTime").time(5, "lastSuccessfulTime"));

    static final Map<String, Schema> KINDS = Map.of("Job", JOB, "CronJob", CRON_JOB);

    private BatchV1() {
    }
}
