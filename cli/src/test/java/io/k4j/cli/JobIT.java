package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Job and CronJob controllers inside {@code k4j server}, driven through kubectl against three simulated nodes
 * whose containers exit as the pods' simulation annotations say. The CronJob is created first and checked last, so
 * the wait for its minute overlaps the other tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobIT {

    @RegisterExtension
    static final ServerPerClass CLUSTER = ServerPerClass.withSimulatedNodes(3);

    private static final Duration WAIT = Duration.ofSeconds(90);

    /** A Job whose containers exit after a second with {@code exitCode}. */
    private static String job(String namespace, String name, String spec, int exitCode) {
        return job(namespace, name, spec, exitCode, "1s");
    }

    private static String job(String namespace, String name, String spec, int exitCode, String exitAfter) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s, namespace: %s}
                spec:
                %s
                """.formatted(name, namespace, (spec + "\n" + template(exitCode, exitAfter)).indent(2));
    }

    private static String template(int exitCode) {
        return template(exitCode, "1s");
    }

    private static String template(int exitCode, String exitAfter) {
        return """
                template:
                  metadata:
                    annotations: {simulation.k4j.io/exit-after: "%s", simulation.k4j.io/exit-code: "%d"}
                  spec:
                    restartPolicy: Never
                    containers:
                    - name: work
                      image: busybox
                """.formatted(exitAfter, exitCode);
    }

    private static void namespace(String name) throws Exception {
        CLUSTER.server().kubectl("create", "namespace", name).assertOk();
    }

    private static void apply(String manifest) throws Exception {
        CLUSTER.server().kubectlApply(manifest).assertOk();
    }

    private static String jsonpath(String namespace, String object, String path) throws Exception {
        return CLUSTER.server().kubectl("get", object, "-n", namespace, "-o", "jsonpath=" + path).assertOk().out().trim();
    }

    private static void waitFor(String namespace, String job, String condition) throws Exception {
        CLUSTER.server().kubectl("wait", "-n", namespace, "--for=condition=" + condition, "job/" + job, "--timeout=90s")
                .assertOk();
    }

    @Test
    @Order(1)
    void aCronJobCanBeStartedByHand() throws Exception {
        namespace("cron");
        apply("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: tick, namespace: cron}
                spec:
                  schedule: "* * * * *"
                  jobTemplate:
                    spec:
                %s
                """.formatted(template(0).indent(6)));
        CLUSTER.server().kubectl("create", "job", "by-hand", "--from=cronjob/tick", "-n", "cron").assertOk();
        waitFor("cron", "by-hand", "complete");
        assertThat(jsonpath("cron", "job/by-hand", "{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}"))
                .isEqualTo("manual");
    }

    @Test
    @Order(2)
    void aJobRunsItsCompletionsWithinItsParallelism() throws Exception {
        namespace("batch");
        // Two seconds a pod, so that the polls below see pods running between the waves.
        apply(job("batch", "five", "completions: 5\nparallelism: 2", 0, "2s"));
        AtomicInteger mostRunning = new AtomicInteger();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            long running = CLUSTER.server().kubectl("get", "pods", "-n", "batch", "-l", "batch.kubernetes.io/job-name=five",
                    "-o", "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}").assertOk().out().lines()
                    .filter(phase -> phase.equals("Pending") || phase.equals("Running")).count();
            mostRunning.accumulateAndGet((int) running, Math::max);
            return jsonpath("batch", "job/five", "{.status.succeeded}").equals("5");
        });
        waitFor("batch", "five", "complete");
        assertThat(mostRunning.get()).isBetween(1, 2);
        assertThat(jsonpath("batch", "job/five", "{.status.conditions[?(@.type==\"Complete\")].reason}"))
                .isEqualTo("CompletionsReached");
        assertThat(CLUSTER.server().kubectl("get", "pods", "-n", "batch", "--no-headers").assertOk().out().lines()
                .filter(line -> line.contains("Completed"))).hasSize(5);
        assertThat(CLUSTER.server().kubectl("get", "events", "-n", "batch", "--field-selector", "reason=Completed").out())
                .contains("job/five", "Job completed");
    }

    @Test
    @Order(3)
    void aFailingJobStopsAtItsBackoffLimit() throws Exception {
        namespace("failing");
        apply(job("failing", "broken", "backoffLimit: 1", 1));
        waitFor("failing", "broken", "failed");
        assertThat(jsonpath("failing", "job/broken", "{.status.failed}|{.status.conditions[?(@.type==\"Failed\")].reason}"))
                .isEqualTo("2|BackoffLimitExceeded");
        assertThat(CLUSTER.server().kubectl("get", "pods", "-n", "failing", "--no-headers").assertOk().out().lines()
                .filter(line -> line.contains("Error"))).hasSize(2);
        assertThat(CLUSTER.server().kubectl("describe", "job", "broken", "-n", "failing").assertOk().out())
                .contains("BackoffLimitExceeded", "Job has reached the specified backoff limit");
    }

    @Test
    @Order(4)
    void anIndexedJobCompletesEveryIndex() throws Exception {
        namespace("indexed");
        apply(job("indexed", "shards", "completions: 3\nparallelism: 3\ncompletionMode: Indexed", 0));
        waitFor("indexed", "shards", "complete");
        assertThat(jsonpath("indexed", "job/shards", "{.status.completedIndexes}")).isEqualTo("0-2");
        assertThat(CLUSTER.server().kubectl("get", "pods", "-n", "indexed", "-o",
                "jsonpath={range .items[*]}{.metadata.labels.batch\\.kubernetes\\.io/job-completion-index} {.spec.hostname}{\"\\n\"}{end}")
                .assertOk().out().lines().sorted().toList())
                .containsExactly("0 shards-0", "1 shards-1", "2 shards-2");
    }

    @Test
    @Order(5)
    void theCronJobFiresOnSchedule() throws Exception {
        await().atMost(WAIT).until(() -> !jsonpath("cron", "cronjob/tick", "{.status.lastScheduleTime}").isEmpty());
        String scheduled = CLUSTER.server().kubectl("get", "jobs", "-n", "cron", "-o",
                "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}").assertOk().out().lines()
                .filter(name -> name.matches("tick-\\d+")).findFirst().orElseThrow();
        waitFor("cron", scheduled, "complete");
        await().atMost(WAIT).until(() -> !jsonpath("cron", "cronjob/tick", "{.status.lastSuccessfulTime}").isEmpty());
        assertThat(jsonpath("cron", "job/" + scheduled,
                "{.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}")).endsWith("Z");
        assertThat(CLUSTER.server().kubectl("get", "events", "-n", "cron").out()).contains("SuccessfulCreate", "Created job " + scheduled);
    }
}
