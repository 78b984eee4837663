package io.k4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.testing.MutableClock;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.testing.ControllerHarness;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobControllerTest {

    static ControllerHarness harness;
    static KubernetesClient client;
    static MutableClock clock = new MutableClock();
    static ControllerLoop loop;

    @BeforeAll
    static void start() throws Exception {
        harness = ControllerHarness.start();
        client = harness.client();
        loop = harness.run(JobController.NAME, new JobController(clock), clock, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void runsCompletionsWithinParallelismAndCountsEachPodOnce() {
        String ns = namespace("complete");
        create(ns, job("work", spec -> spec.withCompletions(3).withParallelism(2)));

        List<Pod> first = awaitPods(ns, pods -> active(pods).size() == 2);
        Job job = get(ns, "work");
        String uid = job.getMetadata().getUid();
        assertThat(job.getSpec().getSelector().getMatchLabels()).containsEntry("batch.kubernetes.io/controller-uid", uid);
        Pod pod = first.get(0);
        assertThat(pod.getMetadata().getFinalizers()).contains(JobPods.TRACKING_FINALIZER);
        assertThat(pod.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-name", "work")
                .containsEntry("batch.kubernetes.io/controller-uid", uid);
        assertThat(pod.getMetadata().getGenerateName()).isEqualTo("work-");

        finish(first.get(0), "Succeeded", 0);
        List<Pod> second = awaitPods(ns, pods -> pods.size() == 3 && active(pods).size() == 2);
        assertThat(awaitJob(ns, "work", j -> j.getStatus().getSucceeded() != null && j.getStatus().getSucceeded() == 1)
                .getStatus().getActive()).isEqualTo(2);
        await().until(() -> client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get()
                .getMetadata().getFinalizers().isEmpty());

        active(second).forEach(p -> finish(p, "Succeeded", 0));
        Job done = awaitJob(ns, "work", j -> condition(j, "Complete") != null);
        assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
        assertThat(done.getStatus().getFailed()).isNull();
        assertThat(done.getStatus().getActive()).isNull();
        assertThat(done.getStatus().getReady()).isZero();
        assertThat(done.getStatus().getCompletionTime()).isEqualTo(JobController.timestamp(clock.instant()));
        assertThat(condition(done, "SuccessCriteriaMet").getReason()).isEqualTo("CompletionsReached");
        assertThat(condition(done, "Complete").getMessage()).isEqualTo("Reached expected number of succeeded pods");
        assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(3)
                .allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).isEmpty());
        await().until(() -> reasons(ns).containsAll(List.of("SuccessfulCreate", "Completed")));
    }

    @Test
    void failedPodsAreReplacedAfterTheBackoffUntilTheBackoffLimit() {
        String ns = namespace("backoff");
        create(ns, job("flaky", spec -> spec.withBackoffLimit(1)));
        Pod first = awaitPods(ns, pods -> pods.size() == 1).get(0);

        finish(first, "Failed", 1);
        Job job = awaitJob(ns, "flaky", j -> j.getStatus().getFailed() != null && j.getStatus().getFailed() == 1);
        assertThat(job.getStatus().getActive()).isNull();
        assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(1); // waiting out the 10 s backoff

        clock.advance(Duration.ofSeconds(10));
        loop.queue().add(new ObjectKey(ns, "flaky"));
        Pod second = awaitPods(ns, pods -> active(pods).size() == 1).stream().filter(p -> !isFinished(p)).findFirst()
                .orElseThrow();

        finish(second, "Failed", 1);
        Job failed = awaitJob(ns, "flaky", j -> condition(j, "Failed") != null);
        assertThat(failed.getStatus().getFailed()).isEqualTo(2);
        assertThat(condition(failed, "Failed").getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(condition(failed, "Failed").getMessage()).isEqualTo("Job has reached the specified backoff limit");
        assertThat(condition(failed, "FailureTarget").getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.getStatus().getCompletionTime()).isNull();
        await().until(() -> reasons(ns).contains("BackoffLimitExceeded"));
    }

    @Test
    void withRestartPolicyOnFailureContainerRestartsCountAgainstTheBackoffLimit() {
        String ns = namespace("on-failure");
        create(ns, job("restarts", spec -> spec.withBackoffLimit(2).editTemplate().editSpec()
                .withRestartPolicy("OnFailure").endSpec().endTemplate()));
        Pod pod = awaitPods(ns, pods -> pods.size() == 1).get(0);
        Pod current = client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get();
        client.pods().inNamespace(ns).resource(new PodBuilder(current).editOrNewStatus().withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder().withName("main").withRestartCount(2).build())
                .endStatus().build()).updateStatus();
        Job failed = awaitJob(ns, "restarts", j -> condition(j, "FailureTarget") != null);
        assertThat(condition(failed, "FailureTarget").getReason()).isEqualTo("BackoffLimitExceeded");
        await().until(() -> {
            Pod stopped = client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get();
            return stopped == null || stopped.getMetadata().getDeletionTimestamp() != null;
        });
    }

    @Test
    void backoffDoublesFromTenSecondsUpToSixMinutes() {
        assertThat(FailureBackoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(FailureBackoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(FailureBackoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(FailureBackoff.delayAfter(6)).isEqualTo(Duration.ofMinutes(5).plusSeconds(20));
        assertThat(FailureBackoff.delayAfter(7)).isEqualTo(Duration.ofMinutes(6));
        assertThat(FailureBackoff.delayAfter(70)).isEqualTo(Duration.ofMinutes(6));
        var now = clock.instant();
        var backoff = FailureBackoff.NONE.after(0, 2, now);
        assertThat(backoff.remaining(now.plusSeconds(5))).isEqualTo(Duration.ofSeconds(15));
        assertThat(backoff.after(1, 0, now).remaining(now)).isZero();
    }

    @Test
    void indexedPodsCarryTheirIndex() {
        String ns = namespace("indexed");
        create(ns, job("shards", spec -> spec.withCompletions(3).withParallelism(3).withCompletionMode("Indexed")));
        List<Pod> pods = awaitPods(ns, p -> p.size() == 3);
        assertThat(pods).extracting(p -> p.getMetadata().getAnnotations().get(CompletionIndexes.ANNOTATION))
                .containsExactlyInAnyOrder("0", "1", "2");
        Pod one = pods.stream().filter(p -> CompletionIndexes.of(p) == 1).findFirst().orElseThrow();
        assertThat(one.getMetadata().getLabels()).containsEntry(CompletionIndexes.ANNOTATION, "1");
        assertThat(one.getMetadata().getGenerateName()).isEqualTo("shards-1-");
        assertThat(one.getSpec().getHostname()).isEqualTo("shards-1");
        assertThat(one.getSpec().getContainers().get(0).getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("JOB_COMPLETION_INDEX");
            assertThat(env.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        });

        finish(one, "Succeeded", 0);
        assertThat(awaitJob(ns, "shards", j -> "1".equals(j.getStatus().getCompletedIndexes())).getStatus()
                .getSucceeded()).isEqualTo(1);
        pods.stream().filter(p -> p != one).forEach(p -> finish(p, "Succeeded", 0));
        Job done = awaitJob(ns, "shards", j -> condition(j, "Complete") != null);
        assertThat(done.getStatus().getCompletedIndexes()).isEqualTo("0-2");
        assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
    }

    @Test
    void anIndexPastItsBackoffLimitFailsAloneAndTheJobFailsOnceEveryIndexIsDone() {
        String ns = namespace("per-index");
        create(ns, job("sharded", spec -> spec.withCompletions(2).withParallelism(2).withCompletionMode("Indexed")
                .withBackoffLimitPerIndex(0)));
        List<Pod> pods = awaitPods(ns, p -> p.size() == 2);
        assertThat(get(ns, "sharded").getSpec().getBackoffLimit()).isEqualTo(Integer.MAX_VALUE);
        Pod zero = pods.stream().filter(p -> CompletionIndexes.of(p) == 0).findFirst().orElseThrow();
        Pod one = pods.stream().filter(p -> CompletionIndexes.of(p) == 1).findFirst().orElseThrow();

        finish(zero, "Failed", 1);
        awaitJob(ns, "sharded", j -> "0".equals(j.getStatus().getFailedIndexes()) && j.getStatus().getFailed() != null
                && j.getStatus().getFailed() == 1);
        finish(one, "Succeeded", 0);
        Job failed = awaitJob(ns, "sharded", j -> condition(j, "Failed") != null);
        assertThat(condition(failed, "Failed").getReason()).isEqualTo("FailedIndexes");
        assertThat(condition(failed, "Failed").getMessage()).isEqualTo("Job has failed indexes");
        assertThat(failed.getStatus().getCompletedIndexes()).isEqualTo("1");
        assertThat(client.pods().inNamespace(ns).list().getItems()).hasSize(2); // the failed index was not retried
    }

    @Test
    void indexSetsAreWrittenAsIntervals() {
        var indexes = CompletionIndexes.parse("1,3-5,7", 10);
        assertThat(indexes).containsExactly(1, 3, 4, 5, 7);
        assertThat(CompletionIndexes.format(indexes)).isEqualTo("1,3-5,7");
        indexes.add(2);
        assertThat(CompletionIndexes.format(indexes)).isEqualTo("1-5,7");
        assertThat(CompletionIndexes.parse("0-9", 4)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void podFailurePolicyFailsTheJobOnAMatchingExitCodeAndIgnoresOthers() {
        String ns = namespace("policy");
        create(ns, job("strict", spec -> spec.withBackoffLimit(0).withNewPodFailurePolicy()
                .addNewRule().withAction("Ignore").withNewOnExitCodes().withOperator("In").withValues(3)
                .endOnExitCodes().endRule()
                .addNewRule().withAction("FailJob").withNewOnExitCodes().withContainerName("main")
                .withOperator("In").withValues(42).endOnExitCodes().endRule()
                .endPodFailurePolicy()));
        Pod first = awaitPods(ns, pods -> pods.size() == 1).get(0);
        finish(first, "Failed", 3); // ignored: not counted, replaced at once
        Pod second = awaitPods(ns, pods -> active(pods).size() == 1).stream().filter(p -> !isFinished(p))
                .findFirst().orElseThrow();
        assertThat(get(ns, "strict").getStatus().getFailed()).isNull();

        finish(second, "Failed", 42);
        Job failed = awaitJob(ns, "strict", j -> condition(j, "Failed") != null);
        assertThat(condition(failed, "Failed").getReason()).isEqualTo("PodFailurePolicy");
        assertThat(condition(failed, "Failed").getMessage()).isEqualTo("Container main for pod " + ns + "/"
                + second.getMetadata().getName() + " failed with exit code 42 matching FailJob rule at index 1");
        assertThat(failed.getStatus().getFailed()).isEqualTo(1);
    }

    @Test
    void suspendedJobsRunNoPodsUntilResumed() {
        String ns = namespace("suspend");
        create(ns, job("later", spec -> spec.withSuspend(true)));
        Job suspended = awaitJob(ns, "later", j -> condition(j, "Suspended") != null);
        assertThat(condition(suspended, "Suspended").getReason()).isEqualTo("JobSuspended");
        assertThat(suspended.getStatus().getStartTime()).isNull();
        assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();

        client.resources(Job.class).inNamespace(ns).withName("later").edit(j -> {
            j.getSpec().setSuspend(false);
            return j;
        });
        awaitPods(ns, pods -> pods.size() == 1);
        Job resumed = awaitJob(ns, "later", j -> "False".equals(condition(j, "Suspended").getStatus()));
        assertThat(condition(resumed, "Suspended").getReason()).isEqualTo("JobResumed");
        assertThat(resumed.getStatus().getStartTime()).isNotNull();

        client.resources(Job.class).inNamespace(ns).withName("later").edit(j -> {
            j.getSpec().setSuspend(true);
            return j;
        });
        await().until(() -> client.pods().inNamespace(ns).list().getItems().stream()
                .allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
        await().until(() -> reasons(ns).containsAll(List.of("Suspended", "Resumed", "SuccessfulDelete")));
    }

    @Test
    void activeDeadlineFailsTheJobAndDeletesItsPods() {
        String ns = namespace("deadline");
        create(ns, job("slow", spec -> spec.withActiveDeadlineSeconds(30L)));
        Pod pod = awaitPods(ns, pods -> pods.size() == 1).get(0);
        clock.advance(Duration.ofSeconds(30));
        loop.queue().add(new ObjectKey(ns, "slow"));
        awaitJob(ns, "slow", j -> condition(j, "FailureTarget") != null);
        await().until(() -> client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get() == null);
        Job failed = awaitJob(ns, "slow", j -> condition(j, "Failed") != null);
        assertThat(condition(failed, "Failed").getReason()).isEqualTo("DeadlineExceeded");
        assertThat(condition(failed, "Failed").getMessage()).isEqualTo("Job was active longer than specified deadline");
        assertThat(failed.getStatus().getFailed()).isEqualTo(1); // the running pod it had to stop
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    private static Job job(String name, UnaryOperator<JobSpecBuilder> spec) {
        JobSpecBuilder base = new JobSpecBuilder().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec().endTemplate();
        return new JobBuilder().withNewMetadata().withName(name).endMetadata().withSpec(spec.apply(base).build())
                .build();
    }

    private static void create(String ns, Job job) {
        client.resources(Job.class).inNamespace(ns).resource(job).create();
    }

    private static Job get(String ns, String name) {
        return client.resources(Job.class).inNamespace(ns).withName(name).get();
    }

    private static Job awaitJob(String ns, String name, Predicate<Job> done) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Job job = get(ns, name);
            return job.getStatus() != null && done.test(job);
        });
        return get(ns, name);
    }

    private static List<Pod> awaitPods(String ns, Predicate<List<Pod>> done) {
        await().atMost(Duration.ofSeconds(10)).until(() -> done.test(client.pods().inNamespace(ns).list().getItems()));
        return client.pods().inNamespace(ns).list().getItems();
    }

    private static List<Pod> active(List<Pod> pods) {
        return pods.stream().filter(p -> !isFinished(p) && p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** What a kubelet reports when the pod's only container exits. */
    private static void finish(Pod pod, String phase, int exitCode) {
        Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .get();
        Pod finished = new PodBuilder(current).editOrNewStatus().withPhase(phase)
                .withContainerStatuses(new ContainerStatusBuilder().withName("main").withNewState().withNewTerminated()
                        .withExitCode(exitCode).endTerminated().endState().build())
                .endStatus().build();
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(finished).updateStatus();
    }

    private static JobCondition condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static List<String> reasons(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .map(io.fabric8.kubernetes.api.model.Event::getReason).toList();
    }
}
