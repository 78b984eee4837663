package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Nodes.at;
import static io.k4j.apiserver.table.Nodes.name;
import static io.k4j.apiserver.table.Nodes.number;
import static io.k4j.apiserver.table.Nodes.string;
import static io.k4j.apiserver.table.Table.AGE;
import static io.k4j.apiserver.table.Table.CONTAINERS;
import static io.k4j.apiserver.table.Table.IMAGES;
import static io.k4j.apiserver.table.Table.NAME;
import static io.k4j.apiserver.table.Table.column;
import static io.k4j.apiserver.table.Table.integer;
import static io.k4j.apiserver.table.Table.text;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** batch/v1: Job and CronJob. */
final class BatchTables {

    private BatchTables() {
    }

    static final TableConvertor JOB = Table.of((job, now) -> {
        JsonNode spec = job.path("spec");
        JsonNode status = job.path("status");
        long succeeded = number(status, "succeeded");
        String completions;
        if (spec.path("completions").isNumber()) {
            completions = succeeded + "/" + number(spec, "completions");
        } else {
            long parallelism = number(spec, "parallelism");
            completions = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
        }
        Instant start = Nodes.instant(status, "startTime");
        Instant completion = Nodes.instant(status, "completionTime");
        String duration = start == null ? ""
                : Ages.human(Duration.between(start, completion == null ? now : completion));
        List<String> containers = Formats.containersAndImages(at(spec, "template", "spec"));
        return List.of(name(job), jobStatus(job), completions, duration, Ages.of(job, now), containers.get(0),
                containers.get(1), Formats.labelSelector(spec.path("selector")));
    }, NAME, text("Status", "Status of the job."),
            text("Completions", "The number of pods which reached phase Succeeded."),
            text("Duration", "Time required to complete the job."), AGE, CONTAINERS, IMAGES,
            Table.selector("A label query over pods that should match the pod count."));

    static final TableConvertor CRON_JOB = Table.of((cronJob, now) -> {
        JsonNode spec = cronJob.path("spec");
        String lastSchedule = Nodes.text(cronJob, "status", "lastScheduleTime") == null ? Formats.NONE
                : Ages.since(Nodes.text(cronJob, "status", "lastScheduleTime"), now);
        JsonNode jobSpec = at(spec, "jobTemplate", "spec");
        List<String> containers = Formats.containersAndImages(at(jobSpec, "template", "spec"));
        return List.of(name(cronJob), string(spec, "schedule"), Nodes.textOr(spec, Formats.NONE, "timeZone"),
                Formats.boolPointer(spec.path("suspend")), (long) Nodes.size(cronJob, "status", "active"), lastSchedule,
                Ages.of(cronJob, now), containers.get(0), containers.get(1),
                Formats.labelSelector(jobSpec.path("selector")));
    }, NAME, text("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
            text("Timezone", "The time zone name for the given schedule."),
            column("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions."),
            integer("Active", "A list of pointers to currently running jobs."),
            text("Last Schedule", "Information when was the last time the job was successfully scheduled."),
            AGE, CONTAINERS, IMAGES, Table.selector("A label query over pods that should match the pod count."));

    /** Complete, Failed, Terminating, Suspended, FailureTarget or Running, in upstream's order of precedence. */
    private static String jobStatus(JsonNode job) {
        if (condition(job, "Complete")) {
            return "Complete";
        } else if (condition(job, "Failed")) {
            return "Failed";
        } else if (Nodes.deleting(job)) {
            return "Terminating";
        } else if (condition(job, "Suspended")) {
            return "Suspended";
        } else if (condition(job, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    private static boolean condition(JsonNode job, String type) {
        return Nodes.conditionTrue(job.path("status"), type);
    }
}
