package io.k4j.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.TCPSocketActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeManagerTest {

    private static final ProbeResult PASS = ProbeResult.success("ok");
    private static final ProbeResult FAIL = ProbeResult.failure("boom", 1);

    private final ManualTaskScheduler scheduler = new ManualTaskScheduler();
    private final ScriptedProbeActions actions = new ScriptedProbeActions(scheduler);
    private final RecordingProbeListener listener = new RecordingProbeListener();
    private final ProbeManager manager = new ProbeManager(actions, scheduler, scheduler, listener, () -> 0);
    private final Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default")
            .withUid("uid-1").endMetadata().build();

    private static Probe exec(String word, Consumer<Probe> settings) {
        Probe probe = new ProbeBuilder().withNewExec().withCommand(word).endExec().build();
        settings.accept(probe);
        return probe;
    }

    private static Probe exec(String word) {
        return exec(word, p -> { });
    }

    private void add(Container container) {
        manager.add(pod, container, "c1", "10.0.0.5", scheduler.instant());
        scheduler.runDue();
    }

    private static ContainerBuilder app() {
        return new ContainerBuilder().withName("app");
    }

    @Test
    void containerWithoutProbesIsStartedAndReadyAtOnce() {
        add(app().build());

        assertThat(manager.started("c1")).isTrue();
        assertThat(manager.ready("c1")).isTrue();
        assertThat(manager.ready("unknown")).isFalse();
        assertThat(manager.started("unknown")).isFalse();
        assertThat(scheduler.pending()).isZero();
    }

    @ParameterizedTest(name = "initialDelay={0} period={1} started {2}s before add -> probes at {4}")
    @CsvSource({
        "0, ,   0, 30, 0 10 20 30",
        "0, 3,  0, 10, 0 3 6 9",
        "5, 10, 0, 30, 10 20 30",
        "5, 2,  0, 10, 6 8 10",
        "5, 10, 5, 20, 0 10 20",
        "59, 30, 0, 90, 60 90",
    })
    void probesRunOnPeriodTicksOnceTheInitialDelayHasPassed(int initialDelay, Integer period, int startedAgo,
            int horizon, String expected) {
        Probe readiness = exec("ready", p -> {
            p.setInitialDelaySeconds(initialDelay);
            p.setPeriodSeconds(period);
        });
        manager.add(pod, app().withReadinessProbe(readiness).build(), "c1", "10.0.0.5",
                scheduler.instant().minusSeconds(startedAgo));
        scheduler.advance(Duration.ofSeconds(horizon));

        assertThat(actions.secondsOf("ready")).containsExactlyElementsOf(
                Arrays.stream(expected.split(" ")).map(Long::valueOf).toList());
    }

    @Test
    void timeoutSecondsDefaultsToOneAndIsPassedToTheAction() {
        add(app().withReadinessProbe(exec("ready")).withLivenessProbe(exec("live", p -> p.setTimeoutSeconds(7)))
                .build());

        assertThat(actions.calls).extracting(ScriptedProbeActions.Call::timeout)
                .containsExactlyInAnyOrder(Duration.ofSeconds(1), Duration.ofSeconds(7));
    }

    @ParameterizedTest(name = "success={0} failure={1}: {2} -> ready {3}")
    @CsvSource({
        ",  , S F F F S,   T T T F T",
        ",  , F F S,       F F T",
        "2, 1, S S F S S,  F T F F T",
        "1, 1, S F S,      T F T",
        "3, 2, S S S F S F F, F F T T T T F",
    })
    void readinessFollowsSuccessAndFailureThresholds(Integer success, Integer failure, String outcomes,
            String expectedReady) {
        List<ProbeResult> script = Arrays.stream(outcomes.split(" ")).map(o -> o.equals("S") ? PASS : FAIL).toList();
        actions.script("ready", script.toArray(ProbeResult[]::new));
        add(app().withReadinessProbe(exec("ready", p -> {
            p.setSuccessThreshold(success);
            p.setFailureThreshold(failure);
            p.setPeriodSeconds(1);
        })).build());

        List<String> readiness = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            readiness.add(manager.ready("c1") ? "T" : "F");
            scheduler.advance(Duration.ofSeconds(1));
        }
        assertThat(String.join(" ", readiness)).isEqualTo(expectedReady);
    }

    @Test
    void readinessStartsFalseAndEachFlipIsReportedOnce() {
        actions.script("ready", FAIL, PASS, PASS, FAIL, FAIL, FAIL);
        manager.add(pod, app().withReadinessProbe(exec("ready")).build(), "c1", "10.0.0.5", scheduler.instant());
        assertThat(manager.ready("c1")).isFalse();

        scheduler.advance(Duration.ofSeconds(50));

        assertThat(listener.changes).containsExactly("uid-1", "uid-1"); // became ready at 10s, unready at 50s
        assertThat(manager.ready("c1")).isFalse();
        assertThat(listener.events).containsExactly("Unhealthy: Readiness probe failed: boom",
                "Unhealthy: Readiness probe failed: boom", "Unhealthy: Readiness probe failed: boom",
                "Unhealthy: Readiness probe failed: boom");
    }

    @Test
    void livenessFailureIsReportedOnceWithTheProbesGracePeriodAndProbingStops() {
        actions.script("live", PASS, FAIL, FAIL, PASS, FAIL, FAIL, FAIL);
        add(app().withLivenessProbe(exec("live", p -> p.setTerminationGracePeriodSeconds(4L))).build());

        scheduler.advance(Duration.ofSeconds(300));

        assertThat(listener.kills).containsExactly("uid-1/app/c1: Container app failed liveness probe grace=4");
        assertThat(actions.secondsOf("live")).containsExactly(0L, 10L, 20L, 30L, 40L, 50L, 60L);
        assertThat(listener.changes).isEmpty(); // liveness does not change pod status
        assertThat(manager.ready("c1")).isTrue(); // no readiness probe: the kubelet decides by killing it
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void livenessWithFailureThresholdOneFailsOnTheFirstFailureWithoutGracePeriod() {
        actions.script("live", FAIL);
        add(app().withLivenessProbe(exec("live", p -> p.setFailureThreshold(1))).build());

        assertThat(listener.kills).containsExactly("uid-1/app/c1: Container app failed liveness probe");
    }

    @Test
    void livenessIgnoresASuccessThresholdAboveOne() {
        actions.script("live", FAIL, FAIL, PASS, FAIL, FAIL, FAIL);
        add(app().withLivenessProbe(exec("live", p -> p.setSuccessThreshold(5))).build());

        scheduler.advance(Duration.ofSeconds(40));
        assertThat(listener.kills).isEmpty(); // the success at 20s reset the failure run
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(listener.kills).hasSize(1);
    }

    @Test
    void startupGatesLivenessAndReadinessAndReadinessRunsAsSoonAsItPasses() {
        actions.script("start", FAIL, FAIL, PASS);
        add(app().withStartupProbe(exec("start", p -> p.setPeriodSeconds(5)))
                .withLivenessProbe(exec("live", p -> p.setPeriodSeconds(3)))
                .withReadinessProbe(exec("ready", p -> p.setPeriodSeconds(7))).build());
        assertThat(manager.started("c1")).isFalse();

        scheduler.advance(Duration.ofSeconds(9));
        assertThat(manager.started("c1")).isFalse();
        assertThat(actions.secondsOf("live")).isEmpty();
        assertThat(actions.secondsOf("ready")).isEmpty();

        scheduler.advance(Duration.ofSeconds(1)); // third startup run at 10s passes
        assertThat(manager.started("c1")).isTrue();
        assertThat(manager.ready("c1")).isTrue();
        assertThat(actions.secondsOf("ready")).containsExactly(10L);
        assertThat(listener.changes).containsExactly("uid-1", "uid-1"); // started, then ready

        scheduler.advance(Duration.ofSeconds(20));
        assertThat(actions.secondsOf("start")).containsExactly(0L, 5L, 10L);
        assertThat(actions.secondsOf("live")).containsExactly(12L, 15L, 18L, 21L, 24L, 27L, 30L);
        assertThat(actions.secondsOf("ready")).containsExactly(10L, 14L, 21L, 28L);
    }

    @Test
    void startupFailureKillsTheContainerAndItNeverStarts() {
        actions.script("start", FAIL);
        add(app().withStartupProbe(exec("start", p -> {
            p.setFailureThreshold(2);
            p.setTerminationGracePeriodSeconds(9L);
        })).withReadinessProbe(exec("ready")).build());

        scheduler.advance(Duration.ofSeconds(100));

        assertThat(listener.kills).containsExactly("uid-1/app/c1: Container app failed startup probe grace=9");
        assertThat(actions.secondsOf("start")).containsExactly(0L, 10L);
        assertThat(actions.secondsOf("ready")).isEmpty();
        assertThat(manager.started("c1")).isFalse();
        assertThat(manager.ready("c1")).isFalse();
        assertThat(listener.events).containsExactly("Unhealthy: Startup probe failed: boom",
                "Unhealthy: Startup probe failed: boom");
    }

    @Test
    void aWarningPassesWithAProbeWarningEventAndAnErrorChangesNothing() {
        actions.script("ready", new ProbeResult(ProbeResult.Outcome.WARNING, "Probe terminated redirects", 302),
                ProbeResult.error("port web not found"));
        add(app().withReadinessProbe(exec("ready", p -> p.setFailureThreshold(1))).build());
        assertThat(manager.ready("c1")).isTrue();

        scheduler.advance(Duration.ofSeconds(30));

        assertThat(manager.ready("c1")).isTrue();
        assertThat(listener.events).containsExactly("ProbeWarning: Readiness probe warning: Probe terminated redirects",
                "Unhealthy: Readiness probe errored: port web not found",
                "Unhealthy: Readiness probe errored: port web not found",
                "Unhealthy: Readiness probe errored: port web not found");
    }

    @Test
    void removeAndRemovePodStopEveryWorker() {
        manager.add(pod, app().withReadinessProbe(exec("ready")).build(), "c1", "10.0.0.5", scheduler.instant());
        manager.add(pod, app().withName("side").withLivenessProbe(exec("live")).build(), "c2", "10.0.0.5",
                scheduler.instant());
        Pod other = new PodBuilder(pod).editMetadata().withUid("uid-2").endMetadata().build();
        manager.add(other, app().withLivenessProbe(exec("other")).build(), "c3", "10.0.0.6", scheduler.instant());
        scheduler.runDue();

        manager.remove("c1");
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(actions.secondsOf("ready")).containsExactly(0L);
        assertThat(actions.secondsOf("live")).containsExactly(0L, 10L);

        manager.removePod("uid-1");
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(actions.secondsOf("live")).containsExactly(0L, 10L);
        assertThat(actions.secondsOf("other")).containsExactly(0L, 10L, 20L);
        assertThat(manager.ready("c2")).isFalse();

        manager.close();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void addingTheSameInstanceAgainChangesNothing() {
        Container container = app().withReadinessProbe(exec("ready")).build();
        add(container);
        add(container);

        scheduler.advance(Duration.ofSeconds(10));
        assertThat(actions.secondsOf("ready")).containsExactly(0L, 10L);
    }

    @Test
    void httpAndTcpProbesResolveNamedPortsAndDefaultToThePodIp() {
        Probe http = new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath("/healthz")
                .withPort(new IntOrString("web")).withScheme("HTTPS")
                .withHttpHeaders(new HTTPHeader("X-Check", "1")).build()).build();
        Probe tcp = new ProbeBuilder().withTcpSocket(new TCPSocketActionBuilder().withHost("10.9.9.9")
                .withPort(new IntOrString(5432)).build()).build();
        add(app().withPorts(new ContainerPortBuilder().withName("web").withContainerPort(8443).build())
                .withReadinessProbe(http).withLivenessProbe(tcp).build());

        assertThat(actions.httpRequests).containsExactlyInAnyOrder(
                "https://10.0.0.5:8443/healthz [Header[name=User-Agent, value=kube-probe/1.32], "
                        + "Header[name=X-Check, value=1]]",
                "tcp 10.9.9.9:5432");
    }

    @ParameterizedTest(name = "port {0} -> {1}")
    @CsvSource({
        "metrics, Readiness probe errored: port metrics not found",
        "70000,   Readiness probe errored: invalid port number: 70000",
    })
    void aBadPortIsAProbeError(String port, String event) {
        IntOrString value = port.chars().allMatch(Character::isDigit) ? new IntOrString(Integer.parseInt(port))
                : new IntOrString(port);
        add(app().withReadinessProbe(new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPort(value)
                .build()).build()).build());

        assertThat(listener.events).containsExactly("Unhealthy: " + event);
        assertThat(actions.httpRequests).isEmpty();
    }

    @Test
    void aTerminatingPodStopsLivenessAndStartupButKeepsReadiness() {
        actions.script("start", FAIL);
        add(app().withStartupProbe(exec("start")).withLivenessProbe(exec("live"))
                .withReadinessProbe(exec("ready")).build());
        scheduler.advance(Duration.ofSeconds(10));

        manager.podTerminating("uid-1");
        scheduler.advance(Duration.ofSeconds(30));

        assertThat(listener.kills).isEmpty();
        assertThat(manager.started("c1")).isTrue();
        assertThat(listener.changes).containsExactly("uid-1", "uid-1"); // started, then ready
        assertThat(actions.secondsOf("start")).containsExactly(0L, 10L);
        assertThat(actions.secondsOf("live")).isEmpty();
        assertThat(actions.secondsOf("ready")).containsExactly(10L, 20L, 30L, 40L);
    }

    @Test
    void aListenerThatThrowsDoesNotEndProbing() {
        ProbeManager fragile = new ProbeManager(actions, scheduler, scheduler, new RecordingProbeListener() {
            @Override
            public void resultsChanged(String podUid) {
                throw new IllegalStateException("listener bug");
            }
        }, () -> 0);
        actions.script("ready", PASS, FAIL);
        fragile.add(pod, app().withReadinessProbe(exec("ready", p -> p.setFailureThreshold(1))).build(), "c1",
                "10.0.0.5", scheduler.instant());

        scheduler.advance(Duration.ofSeconds(20));

        assertThat(actions.secondsOf("ready")).containsExactly(0L, 10L, 20L);
        assertThat(fragile.ready("c1")).isFalse();
    }

    @Test
    void workersStartedWithinAPeriodOfTheManagersCreationWaitARandomPartOfIt() {
        ProbeManager young = new ProbeManager(actions, scheduler, scheduler, listener, () -> 0.25);
        young.add(pod, app().withReadinessProbe(exec("early")).build(), "c1", "10.0.0.5", scheduler.instant());
        scheduler.advance(Duration.ofSeconds(30));
        young.add(pod, app().withReadinessProbe(exec("late")).build(), "c2", "10.0.0.5", scheduler.instant());
        scheduler.advance(Duration.ofSeconds(20));

        assertThat(actions.secondsOf("early")).containsExactly(2L, 12L, 22L, 32L, 42L); // 2.5s, 12.5s, ...
        assertThat(actions.secondsOf("late")).containsExactly(30L, 40L, 50L);
        young.close();
    }
}
