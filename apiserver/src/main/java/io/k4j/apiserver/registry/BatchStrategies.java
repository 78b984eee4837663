package io.k4j.apiserver.registry;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.cron.CronSchedule;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Jobs and CronJobs (batch/v1): upstream's defaults, the generated selector, and the validation users meet most. */
final class BatchStrategies {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    /** Upstream still writes the unprefixed labels too, for selectors written before the prefixed ones existed. */
    static final String LEGACY_CONTROLLER_UID = "controller-uid";
    static final String LEGACY_JOB_NAME = "job-name";
    /** A CronJob's name plus "-" and an 11-digit minute count must stay a valid Job (and label) name. */
    static final int MAX_CRONJOB_NAME = 52;

    private BatchStrategies() {
    }

    /** Jobs: upstream's defaults, a selector on the Job's uid unless manualSelector, and a Never/OnFailure template. */
    static final class JobStrategy implements ResourceStrategy {
        @Override
        public void prepareForCreate(ObjectNode job) {
            ObjectNode spec = BuiltinStrategies.child(job, "spec");
            defaultJobSpec(spec);
            if (!spec.path("manualSelector").asBoolean(false)) {
                generateSelector(job, spec);
            }
        }

        @Override
        public void prepareForUpdate(ObjectNode job, ObjectNode old) {
            defaultJobSpec(BuiltinStrategies.child(job, "spec"));
        }

        /** As upstream's generateSelector: the Job's uid selects its pods, and the template carries both labels. */
        private static void generateSelector(ObjectNode job, ObjectNode spec) {
            String uid = job.path("metadata").path("uid").asString("");
            String name = job.path("metadata").path("name").asString("");
            ObjectNode labels = BuiltinStrategies.child(BuiltinStrategies.child(
                    BuiltinStrategies.child(spec, "template"), "metadata"), "labels");
            labels.put(CONTROLLER_UID, uid);
            labels.put(JOB_NAME, name);
            labels.put(LEGACY_CONTROLLER_UID, uid);
            labels.put(LEGACY_JOB_NAME, name);
            if (!spec.has("selector")) {
                spec.putObject("selector").putObject("matchLabels").put(CONTROLLER_UID, uid);
            }
        }

        @Override
        public List<Cause> validate(ObjectNode job) {
            return validateJobSpec(job.path("spec"), "spec", true);
        }

        /**
         * As upstream: the selector and completion mode never change; the pod template only while the Job is
         * suspended and has not started (so that a queueing controller can still place it).
         */
        @Override
        public List<Cause> validateUpdate(ObjectNode job, ObjectNode old) {
            List<Cause> causes = new ArrayList<>(validate(job));
            JsonNode spec = job.path("spec");
            JsonNode oldSpec = old.path("spec");
            for (String field : List.of("selector", "completionMode")) {
                if (!spec.path(field).equals(oldSpec.path(field))) {
                    causes.add(Cause.invalid("spec." + field, spec.path(field).toString(), "field is immutable"));
                }
            }
            boolean mutableTemplate = oldSpec.path("suspend").asBoolean(false) && !old.path("status").has("startTime");
            if (!mutableTemplate && !spec.path("template").equals(oldSpec.path("template"))) {
                causes.add(new Cause("FieldValueInvalid", "Invalid value: core.PodTemplateSpec{...}: field is immutable",
                        "spec.template"));
            }
            return causes;
        }
    }

    static void defaultJobSpec(ObjectNode spec) {
        if (!spec.has("completions") && !spec.has("parallelism")) {
            spec.put("completions", 1);
        }
        if (!spec.has("parallelism")) {
            spec.put("parallelism", 1);
        }
        if (!spec.has("backoffLimit")) {
            spec.put("backoffLimit", spec.has("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        }
        if (!spec.has("completionMode")) {
            spec.put("completionMode", "NonIndexed");
        }
        if (!spec.has("suspend")) {
            spec.put("suspend", false);
        }
        if (!spec.has("podReplacementPolicy")) {
            spec.put("podReplacementPolicy", spec.has("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        }
        if (spec.get("template") instanceof ObjectNode template) {
            PodSpecs.defaultSpec(BuiltinStrategies.child(template, "spec"));
        }
    }

    static List<Cause> validateJobSpec(JsonNode spec, String path, boolean needsSelector) {
        List<Cause> causes = new ArrayList<>(PodSpecs.validate(spec.path("template").path("spec"),
                path + ".template.spec"));
        String restartPolicy = spec.path("template").path("spec").path("restartPolicy").asString("");
        if (!Set.of("Never", "OnFailure").contains(restartPolicy)) {
            causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + restartPolicy
                    + "\": supported values: \"OnFailure\", \"Never\"", path + ".template.spec.restartPolicy"));
        }
        for (String count : List.of("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds",
                "ttlSecondsAfterFinished")) {
            if (spec.has(count) && spec.path(count).asLong(0) < 0) {
                causes.add(Cause.invalid(path + "." + count, spec.path(count).asString(""),
                        "must be greater than or equal to 0"));
            }
        }
        String mode = spec.path("completionMode").asString("NonIndexed");
        if (!Set.of("NonIndexed", "Indexed").contains(mode)) {
            causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + mode
                    + "\": supported values: \"NonIndexed\", \"Indexed\"", path + ".completionMode"));
        } else if ("Indexed".equals(mode) && !spec.has("completions")) {
            causes.add(new Cause("FieldValueRequired", "Required value: when completion mode is Indexed",
                    path + ".completions"));
        }
        if (needsSelector) {
            JsonNode selector = spec.path("selector");
            JsonNode labels = spec.path("template").path("metadata").path("labels");
            if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
                causes.add(Cause.required(path + ".selector"));
            } else if (!PodSpecs.selectorMatches(selector, labels, true)) {
                causes.add(Cause.invalid(path + ".template.metadata.labels",
                        labels.isMissingNode() ? "null" : labels.toString(), "`selector` does not match template `labels`"));
            }
        }
        return causes;
    }

    /** CronJobs: upstream's defaults, a valid schedule and time zone, and a valid job template. */
    static final class CronJobStrategy implements ResourceStrategy {
        @Override
        public void prepareForCreate(ObjectNode cronJob) {
            ObjectNode spec = BuiltinStrategies.child(cronJob, "spec");
            if (!spec.has("concurrencyPolicy")) {
                spec.put("concurrencyPolicy", "Allow");
            }
            if (!spec.has("suspend")) {
                spec.put("suspend", false);
            }
            if (!spec.has("successfulJobsHistoryLimit")) {
                spec.put("successfulJobsHistoryLimit", 3);
            }
            if (!spec.has("failedJobsHistoryLimit")) {
                spec.put("failedJobsHistoryLimit", 1);
            }
            JsonNode template = spec.path("jobTemplate").path("spec").path("template");
            if (template instanceof ObjectNode podTemplate) {
                PodSpecs.defaultSpec(BuiltinStrategies.child(podTemplate, "spec"));
            }
        }

        @Override
        public List<Cause> validate(ObjectNode cronJob) {
            return validate(cronJob, false);
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode cronJob, ObjectNode old) {
            // As upstream: a TZ= schedule stored before the rule existed may stay.
            return validate(cronJob, old.path("spec").path("schedule").asString("").contains("TZ"));
        }

        private static List<Cause> validate(ObjectNode cronJob, boolean allowTzInSchedule) {
            List<Cause> causes = new ArrayList<>();
            String name = cronJob.path("metadata").path("name").asString("");
            if (name.length() > MAX_CRONJOB_NAME) {
                causes.add(Cause.invalid("metadata.name", name, "must be no more than 52 characters"));
            }
            JsonNode spec = cronJob.path("spec");
            String schedule = spec.path("schedule").asString("");
            JsonNode timeZone = spec.path("timeZone");
            if (schedule.isEmpty()) {
                causes.add(Cause.required("spec.schedule"));
            } else {
                String problem = scheduleProblem(schedule);
                if (problem != null) {
                    causes.add(Cause.invalid("spec.schedule", schedule, problem));
                }
                if (schedule.contains("TZ")) {
                    if (!allowTzInSchedule) {
                        causes.add(Cause.invalid("spec.schedule", schedule,
                                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
                    } else if (timeZone.isString()) {
                        causes.add(Cause.invalid("spec.schedule", schedule,
                                "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
                    }
                }
            }
            if (timeZone.isString()) {
                causes.addAll(validateTimeZone(timeZone.asString()));
            }
            String policy = spec.path("concurrencyPolicy").asString("Allow");
            if (!Set.of("Allow", "Forbid", "Replace").contains(policy)) {
                causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + policy
                        + "\": supported values: \"Allow\", \"Forbid\", \"Replace\"", "spec.concurrencyPolicy"));
            }
            for (String count : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit",
                    "failedJobsHistoryLimit")) {
                if (spec.has(count) && spec.path(count).asLong(0) < 0) {
                    causes.add(Cause.invalid("spec." + count, spec.path(count).asString(""),
                            "must be greater than or equal to 0"));
                }
            }
            causes.addAll(validateJobSpec(spec.path("jobTemplate").path("spec"), "spec.jobTemplate.spec", false));
            return causes;
        }

        /** What upstream's parser says of a schedule (null when it parses); the controller runs the same parser. */
        private static String scheduleProblem(String schedule) {
            try {
                CronSchedule.parse(schedule, java.time.ZoneOffset.UTC);
                return null;
            } catch (CronSchedule.InvalidScheduleException e) {
                return e.getMessage();
            }
        }

        private static List<Cause> validateTimeZone(String timeZone) {
            if (timeZone.isEmpty()) {
                return List.of(Cause.invalid("spec.timeZone", timeZone, "timeZone must be nil or non-empty string"));
            }
            if (timeZone.equalsIgnoreCase("Local")) {
                return List.of(Cause.invalid("spec.timeZone", timeZone,
                        "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
            }
            // IANA names only, as Go's LoadLocation: no offsets such as "+01:00" that ZoneId.of would take.
            if (timeZone.equals("UTC") || ZoneId.getAvailableZoneIds().contains(timeZone)) {
                return List.of();
            }
            return List.of(Cause.invalid("spec.timeZone", timeZone, "unknown time zone " + timeZone));
        }
    }
}
