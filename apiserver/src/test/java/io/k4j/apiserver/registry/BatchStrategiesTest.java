package io.k4j.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class BatchStrategiesTest {

    private static final ResourceRegistry REGISTRY = ResourceRegistry.withBuiltins();
    private static final ResourceStrategy JOBS = REGISTRY.strategy(REGISTRY.require("batch", "v1", "jobs"));
    private static final ResourceStrategy CRON_JOBS = REGISTRY.strategy(REGISTRY.require("batch", "v1", "cronjobs"));
    private static final String TEMPLATE = "'template':{'spec':{'restartPolicy':'Never','containers':[{'name':'c',"
            + "'image':'busybox'}]}}";

    private static ObjectNode obj(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode created(String json) {
        ObjectNode job = obj(json);
        JOBS.prepareForCreate(job);
        return job;
    }

    @Test
    void jobsGetUpstreamsDefaultsAndASelectorOnTheirUid() {
        ObjectNode job = created("{'metadata':{'name':'pi','uid':'u-1'},'spec':{" + TEMPLATE + "}}");
        assertThat(job.path("spec").toString()).contains("\"completions\":1", "\"parallelism\":1",
                "\"backoffLimit\":6", "\"completionMode\":\"NonIndexed\"", "\"suspend\":false",
                "\"podReplacementPolicy\":\"TerminatingOrFailed\"");
        assertThat(job.path("spec").path("selector").toString())
                .isEqualTo("{\"matchLabels\":{\"batch.kubernetes.io/controller-uid\":\"u-1\"}}");
        assertThat(job.path("spec").path("template").path("metadata").path("labels").toString()).isEqualTo(
                "{\"batch.kubernetes.io/controller-uid\":\"u-1\",\"batch.kubernetes.io/job-name\":\"pi\","
                        + "\"controller-uid\":\"u-1\",\"job-name\":\"pi\"}");
        assertThat(JOBS.validate(job)).isEmpty();

        ObjectNode manual = created("{'metadata':{'name':'m','uid':'u-2'},'spec':{'manualSelector':true,"
                + "'backoffLimitPerIndex':1,'podFailurePolicy':{'rules':[]}," + TEMPLATE + "}}");
        assertThat(manual.path("spec").has("selector")).isFalse();
        assertThat(manual.path("spec").path("backoffLimit").asInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(manual.path("spec").path("podReplacementPolicy").asString()).isEqualTo("Failed");
        assertThat(JOBS.validate(manual)).containsExactly(Cause.required("spec.selector"));
    }

    @Test
    void aStartedJobsTemplateAndSelectorAreImmutable() {
        ObjectNode old = created("{'metadata':{'name':'pi','uid':'u-1'},'spec':{" + TEMPLATE + "},"
                + "'status':{'startTime':'2026-01-01T00:00:00Z'}}");
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.path("spec").path("template").path("spec").path("containers").get(0))
                .put("image", "perl");
        assertThat(JOBS.validateUpdate(changed, old)).extracting(Cause::field).containsExactly("spec.template");
        ObjectNode scaled = old.deepCopy();
        ((ObjectNode) scaled.path("spec")).put("parallelism", 3);
        assertThat(JOBS.validateUpdate(scaled, old)).isEmpty();
    }

    @Test
    void cronJobsRejectTzInTheScheduleUnknownZonesAndBadShapes() {
        String rest = ",'jobTemplate':{'spec':{" + TEMPLATE + "}}}}";
        ObjectNode ok = obj("{'metadata':{'name':'c'},'spec':{'schedule':'@hourly','timeZone':'Europe/Paris'" + rest);
        CRON_JOBS.prepareForCreate(ok);
        assertThat(ok.path("spec").toString()).contains("\"concurrencyPolicy\":\"Allow\"",
                "\"successfulJobsHistoryLimit\":3", "\"failedJobsHistoryLimit\":1", "\"suspend\":false");
        assertThat(CRON_JOBS.validate(ok)).isEmpty();
        assertThat(CRON_JOBS.validate(obj("{'metadata':{'name':'c'},'spec':{'schedule':'TZ=UTC * * * * *'" + rest)))
                .containsExactly(Cause.invalid("spec.schedule", "TZ=UTC * * * * *",
                        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        assertThat(CRON_JOBS.validate(obj("{'metadata':{'name':'c'},'spec':{'schedule':'* * *','timeZone':'Mars/X'"
                + rest))).containsExactly(
                Cause.invalid("spec.schedule", "* * *", "expected exactly 5 fields, found 3: [* * *]"),
                Cause.invalid("spec.timeZone", "Mars/X", "unknown time zone Mars/X"));
        assertThat(CRON_JOBS.validate(obj("{'metadata':{'name':'c'},'spec':{'schedule':'99 * * * *'" + rest)))
                .as("the controller's parser checks ranges too").containsExactly(Cause.invalid("spec.schedule",
                        "99 * * * *", "end of range (99) above maximum (59): 99"));
        assertThat(CRON_JOBS.validate(obj("{'metadata':{'name':'" + "n".repeat(53) + "'},'spec':{'schedule':'@daily'"
                + rest))).extracting(Cause::field).containsExactly("metadata.name");
    }
}
