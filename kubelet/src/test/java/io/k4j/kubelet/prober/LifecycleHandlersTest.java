package io.k4j.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleHandlersTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final String WHERE = " for Container \"app\" in Pod \"web_default(uid-1)\" failed - error: ";

    private final List<String> calls = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();
    private ProbeResult next = ProbeResult.success("");
    private final ProbeActions actions = new ProbeActions() {
        @Override
        public ProbeResult exec(String containerId, List<String> command, Duration timeout) {
            calls.add("exec " + containerId + " " + command + " " + timeout);
            return next;
        }

        @Override
        public ProbeResult httpGet(String host, int port, String path, String scheme, List<Header> headers,
                Duration timeout) {
            calls.add("get " + scheme + "://" + host + ":" + port + path + " " + headers + " " + timeout);
            return next;
        }

        @Override
        public ProbeResult tcp(String host, int port, Duration timeout) {
            throw new AssertionError("hooks never connect with TCP");
        }
    };
    private final LifecycleHandlers handlers = new LifecycleHandlers(actions, slept::add);
    private final Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default")
            .withUid("uid-1").endMetadata().build();

    @AfterEach
    void close() {
        handlers.close();
    }

    private static Container with(LifecycleHandler postStart, LifecycleHandler preStop) {
        return new ContainerBuilder().withName("app").withNewLifecycle().withPostStart(postStart)
                .withPreStop(preStop).endLifecycle().build();
    }

    private static LifecycleHandler exec(String... command) {
        return new LifecycleHandlerBuilder().withNewExec().withCommand(command).endExec().build();
    }

    private static LifecycleHandler get(String path) {
        return new LifecycleHandlerBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(8080))
                .endHttpGet().build();
    }

    @Test
    void noHandlerSucceeds() {
        Container plain = new ContainerBuilder().withName("app").build();

        assertThat(handlers.postStart(pod, plain, "c1", "10.0.0.5", GRACE)).isEqualTo(HookResult.OK);
        assertThat(handlers.preStop(pod, with(exec("x"), null), "c1", "10.0.0.5", GRACE)).isEqualTo(HookResult.OK);
        assertThat(calls).isEmpty();
    }

    @Test
    void execRunsInTheContainerWithTheCallersTimeout() {
        assertThat(handlers.postStart(pod, with(exec("touch", "/ready"), null), "c1", "10.0.0.5", GRACE))
                .isEqualTo(HookResult.OK);
        assertThat(calls).containsExactly("exec c1 [touch, /ready] PT30S");
    }

    @Test
    void aFailedExecGivesUpstreamsMessage() {
        next = ProbeResult.failure("nope", 1);

        assertThat(handlers.postStart(pod, with(exec("sh", "-c", "exit 1"), null), "c1", "10.0.0.5", GRACE))
                .isEqualTo(HookResult.failed("Exec lifecycle hook ([sh -c exit 1])" + WHERE
                        + "command 'sh -c exit 1' exited with 1: nope, message: \"nope\""));
    }

    @Test
    void aTimedOutExecHasNoOutput() {
        next = ProbeResult.failure("command \"sleep 99\" timed out");

        assertThat(handlers.preStop(pod, with(null, exec("sleep", "99")), "c1", "10.0.0.5", GRACE))
                .isEqualTo(HookResult.failed("Exec lifecycle hook ([sleep 99])" + WHERE
                        + "command \"sleep 99\" timed out, message: \"\""));
    }

    @Test
    void httpGetSucceedsOnAnyResponseAndSendsTheLifecycleUserAgent() {
        next = new ProbeResult(ProbeResult.Outcome.FAILURE, "HTTP probe failed with statuscode: 500", 500);

        assertThat(handlers.preStop(pod, with(null, get("/shutdown")), "c1", "10.0.0.5", GRACE))
                .isEqualTo(HookResult.OK);
        assertThat(calls).containsExactly("get http://10.0.0.5:8080/shutdown "
                + "[Header[name=User-Agent, value=kube-lifecycle/1.32]] PT30S");
    }

    @Test
    void anUnreachableHttpGetGivesUpstreamsMessage() {
        next = ProbeResult.failure("Get \"http://10.0.0.5:8080/hook\": dial tcp 10.0.0.5:8080: connect: "
                + "connection refused");

        assertThat(handlers.postStart(pod, with(get("/hook"), null), "c1", "10.0.0.5", GRACE))
                .isEqualTo(HookResult.failed("HTTP lifecycle hook (/hook)" + WHERE + next.output()));
    }

    @Test
    void sleepSleepsForItsSeconds() {
        LifecycleHandler sleep = new LifecycleHandlerBuilder().withNewSleep(5L).build();

        assertThat(handlers.preStop(pod, with(null, sleep), "c1", "10.0.0.5", GRACE)).isEqualTo(HookResult.OK);
        assertThat(slept).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void aHookStillRunningWhenTheGracePeriodEndsIsAbandoned() {
        LifecycleHandlers realSleep = new LifecycleHandlers(actions);
        LifecycleHandler sleep = new LifecycleHandlerBuilder().withNewSleep(60L).build();

        HookResult result = realSleep.preStop(pod, with(null, sleep), "c1", "10.0.0.5", Duration.ofMillis(50));
        realSleep.close();

        assertThat(result).isEqualTo(new HookResult(false,
                "lifecycle hook for Container \"app\" in Pod \"web_default(uid-1)\" did not finish within 50ms", true));
    }

    @Test
    void tcpSocketIsAcceptedByTheApiButCannotRun() {
        LifecycleHandler tcp = new LifecycleHandlerBuilder().withNewTcpSocket().withPort(new IntOrString(80))
                .endTcpSocket().build();

        assertThat(handlers.postStart(pod, with(tcp, null), "c1", "10.0.0.5", GRACE))
                .isEqualTo(HookResult.failed("Cannot run handler: invalid handler: tcpSocket"));
    }

    @Test
    void noGracePeriodMeansNoPreStopHook() {
        assertThat(handlers.preStop(pod, with(null, exec("x")), "c1", "10.0.0.5", Duration.ZERO))
                .isEqualTo(HookResult.OK);
        assertThat(calls).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "grace {0}s, hook took {1}ms -> {2}s left")
    @org.junit.jupiter.params.provider.CsvSource({"30, 0, 30", "30, 4999, 26", "30, 29000, 2", "30, 60000, 2",
        "1, 0, 2"})
    void theStopKeepsWhatThePreStopHookLeftButAtLeastTwoSeconds(long grace, long tookMillis, long left) {
        assertThat(LifecycleHandlers.graceAfterPreStop(Duration.ofSeconds(grace), Duration.ofMillis(tookMillis)))
                .isEqualTo(Duration.ofSeconds(left));
    }
}
