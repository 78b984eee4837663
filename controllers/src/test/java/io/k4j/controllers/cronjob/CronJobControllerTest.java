package io.k4j.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import io.k4j.cron.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CronJobControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    /** Starts at the real time, as the API server stamps creationTimestamp with it; moved by hand from there. */
    static MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    static ControllerLoop loop;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        loop = harness.run(CronJobController.NAME, new CronJobController(), clock, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void firesEachScheduledTimeAndTracksTheJobUntilItCompletes() {
        String ns = namespace("fires");
        create(ns, cronJob("tick", spec -> spec));
        assertThat(jobs(ns)).isEmpty();

        Instant scheduled = advanceMinutes(ns, "tick", 2);
        Job job = awaitJobs(ns, jobs -> jobs.size() == 1).get(0);
        assertThat(job.getMetadata().getName()).isEqualTo("tick-" + scheduled.getEpochSecond() / 60);
        assertThat(job.getMetadata().getAnnotations()).containsEntry(CronJobController.SCHEDULED_TIMESTAMP,
                scheduled.toString());
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("CronJob");
            assertThat(ref.getController()).isTrue();
        });
        CronJob cronJob = awaitCronJob(ns, "tick", c -> !c.getStatus().getActive().isEmpty());
        assertThat(cronJob.getStatus().getActive()).singleElement()
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo(job.getMetadata().getName()));
        assertThat(cronJob.getStatus().getLastScheduleTime()).isEqualTo(scheduled.toString());

        complete(job, "Complete");
        CronJob after = awaitCronJob(ns, "tick", c -> c.getStatus().getActive().isEmpty());
        assertThat(after.getStatus().getLastSuccessfulTime()).isEqualTo(clock.instant().toString());
        await().until(() -> reasons(ns).containsAll(List.of("SuccessfulCreate", "SawCompletedJob")));
    }

    @Test
    void forbidSkipsWhileAJobRunsAndReplaceSwapsIt() {
        String ns = namespace("concurrency");
        create(ns, cronJob("forbid", spec -> spec.withConcurrencyPolicy("Forbid")));
        create(ns, cronJob("replace", spec -> spec.withConcurrencyPolicy("Replace")));
        advanceMinutes(ns, "forbid", 2);
        loop.queue().add(new ObjectKey(ns, "replace"));
        awaitJobs(ns, jobs -> jobs.size() == 2);
        awaitCronJob(ns, "forbid", c -> !c.getStatus().getActive().isEmpty());
        awaitCronJob(ns, "replace", c -> !c.getStatus().getActive().isEmpty());

        Instant second = advanceMinutes(ns, "forbid", 1);
        loop.queue().add(new ObjectKey(ns, "replace"));
        String replacement = "replace-" + second.getEpochSecond() / 60;
        List<Job> jobs = awaitJobs(ns, all -> all.stream().anyMatch(j -> j.getMetadata().getName().equals(replacement))
                && all.stream().filter(j -> j.getMetadata().getName().startsWith("replace-")).count() == 1);
        assertThat(jobs.stream().filter(j -> j.getMetadata().getName().startsWith("forbid-"))).hasSize(1);
        await().until(() -> reasons(ns).containsAll(List.of("JobAlreadyActive", "SuccessfulDelete")));
    }

    @Test
    void keepsOnlyTheHistoryLimitsAndNothingRunsWhileSuspended() {
        String ns = namespace("history");
        create(ns, cronJob("kept", spec -> spec.withSuccessfulJobsHistoryLimit(1).withFailedJobsHistoryLimit(0)));
        create(ns, cronJob("paused", spec -> spec.withSuspend(true)));
        advanceMinutes(ns, "kept", 2);
        Job first = awaitJobs(ns, jobs -> jobs.size() == 1).get(0);
        complete(first, "Complete");
        awaitCronJob(ns, "kept", c -> c.getStatus().getActive().isEmpty());

        advanceMinutes(ns, "kept", 1);
        Job second = awaitJobs(ns, jobs -> jobs.stream().anyMatch(j -> !j.getMetadata().getName()
                .equals(first.getMetadata().getName()))).stream()
                .filter(j -> !j.getMetadata().getName().equals(first.getMetadata().getName())).findFirst().orElseThrow();
        complete(second, "Complete");
        await().until(() -> jobs(ns).stream().map(j -> j.getMetadata().getName()).toList()
                .equals(List.of(second.getMetadata().getName())));

        advanceMinutes(ns, "kept", 1);
        Job third = awaitJobs(ns, jobs -> jobs.size() == 2).stream()
                .filter(j -> !j.getMetadata().getName().equals(second.getMetadata().getName())).findFirst().orElseThrow();
        complete(third, "Failed");
        await().until(() -> jobs(ns).size() == 1);
        loop.queue().add(new ObjectKey(ns, "paused"));
        assertThat(jobs(ns)).noneMatch(j -> j.getMetadata().getName().startsWith("paused-"));
    }

    @Test
    void theScheduledTimestampIsInTheCronJobsTimeZone() {
        String ns = namespace("zones");
        create(ns, cronJob("tokyo", spec -> spec.withTimeZone("Asia/Tokyo")));
        Instant scheduled = advanceMinutes(ns, "tokyo", 2);
        Job job = awaitJobs(ns, jobs -> jobs.size() == 1).get(0);
        assertThat(job.getMetadata().getAnnotations().get(CronJobController.SCHEDULED_TIMESTAMP))
                .isEqualTo(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        scheduled.atZone(java.time.ZoneId.of("Asia/Tokyo"))))
                .endsWith("+09:00");
    }

    @Test
    void missedTimesAreCountedUpToTheWarningAndTheLatestIsExact() throws Exception {
        CronSchedule everyMinute = CronSchedule.parse("* * * * *", java.time.ZoneOffset.UTC);
        Instant earliest = Instant.parse("2026-01-01T00:00:30Z");
        var few = ScheduleTimes.missed(everyMinute, earliest, Instant.parse("2026-01-01T00:03:10Z"));
        assertThat(few.count()).isEqualTo(3);
        assertThat(few.mostRecent()).isEqualTo("2026-01-01T00:03:00Z");
        assertThat(few.tooMany()).isFalse();
        var many = ScheduleTimes.missed(everyMinute, earliest, Instant.parse("2026-03-01T12:34:56Z"));
        assertThat(many.tooMany()).isTrue();
        assertThat(many.mostRecent()).isEqualTo("2026-03-01T12:34:00Z");
        var rare = ScheduleTimes.missed(CronSchedule.parse("0 0 1 1 *", java.time.ZoneOffset.UTC),
                Instant.parse("1900-01-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(rare.tooMany()).isTrue();
        assertThat(rare.mostRecent()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(ScheduleTimes.missed(everyMinute, earliest, Instant.parse("2026-01-01T00:00:59Z")).mostRecent())
                .isNull();
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /** Moves the clock on and wakes the CronJob; returns the scheduled time now due (a whole minute). */
    private static Instant advanceMinutes(String ns, String name, int minutes) {
        clock.advance(Duration.ofMinutes(minutes));
        loop.queue().add(new ObjectKey(ns, name));
        return clock.instant().truncatedTo(ChronoUnit.MINUTES);
    }

    /** A namespace for one test, with the clock back at the real time the API server stamps creations with. */
    private static String namespace(String name) {
        clock.advance(Duration.between(clock.instant(), Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    private static CronJob cronJob(String name, UnaryOperator<CronJobSpecBuilder> spec) {
        CronJobSpecBuilder base = new CronJobSpecBuilder().withSchedule("* * * * *").withNewJobTemplate()
                .withNewMetadata().addToLabels("team", "a").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec().endJobTemplate();
        return new CronJobBuilder().withNewMetadata().withName(name).endMetadata().withSpec(spec.apply(base).build())
                .build();
    }

    private static void create(String ns, CronJob cronJob) {
        client.resources(CronJob.class).inNamespace(ns).resource(cronJob).create();
    }

    private static List<Job> jobs(String ns) {
        return client.resources(Job.class).inNamespace(ns).list().getItems().stream()
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static List<Job> awaitJobs(String ns, Predicate<List<Job>> done) {
        await().atMost(Duration.ofSeconds(10)).until(() -> done.test(jobs(ns)));
        return jobs(ns);
    }

    private static CronJob awaitCronJob(String ns, String name, Predicate<CronJob> done) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            CronJob cronJob = client.resources(CronJob.class).inNamespace(ns).withName(name).get();
            return cronJob.getStatus() != null && done.test(cronJob);
        });
        return client.resources(CronJob.class).inNamespace(ns).withName(name).get();
    }

    /** What the Job controller would write when the Job finishes. */
    private static void complete(Job job, String type) {
        Job current = client.resources(Job.class).inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName()).get();
        String now = clock.instant().toString();
        var status = new JobBuilder(current).editOrNewStatus().withStartTime(now).addNewCondition().withType(type)
                .withStatus("True").withLastTransitionTime(now).endCondition();
        Job finished = ("Complete".equals(type) ? status.withCompletionTime(now) : status).endStatus().build();
        client.resources(Job.class).inNamespace(job.getMetadata().getNamespace()).resource(finished).updateStatus();
    }

    private static List<String> reasons(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .map(io.fabric8.kubernetes.api.model.Event::getReason).toList();
    }
}
