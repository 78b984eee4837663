package io.k4j.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.kubelet.Kubelet;
import io.k4j.kubelet.testing.FakeNodeParts;
import io.k4j.kubelet.testing.FakeRuntime;
import io.k4j.kubelet.testing.TestApiServer;
import io.k4j.kubelet.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The kubelet's pod lifecycle against a real API server and an in-memory runtime. */
class PodWorkersTest {

    private static TestApiServer api;
    private static KubernetesClient client;

    private FakeRuntime runtime;
    private Kubelet kubelet;
    private Path dataDir;
    private String namespace;
    /** One node per test, so no test's kubelet sees another test's pods. */
    private String node;

    @BeforeAll
    static void startApi() throws Exception {
        api = TestApiServer.start();
        client = api.client();
    }

    @AfterAll
    static void stopApi() throws Exception {
        api.close();
    }

    @BeforeEach
    void startKubelet(TestInfo test) throws Exception {
        namespace = test.getTestMethod().orElseThrow().getName().toLowerCase();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
        node = "node-" + namespace;
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
                .withNewSpec().withPodCIDR("10.88.0.0/24").endSpec().build()).create();
        runtime = new FakeRuntime();
        dataDir = Files.createTempDirectory("k4j-kubelet-test-");
        kubelet = kubelet(runtime);
    }

    private Kubelet kubelet(FakeRuntime on) {
        return Kubelet.builder().client(client).nodeName(node).dataDir(dataDir).runtime(on)
                .images(new FakeNodeParts.Images())
                .probes(new FakeNodeParts.Probes()).hooks(new FakeNodeParts.Hooks()).start();
    }

    @AfterEach
    void stopKubelet() {
        kubelet.close();
        Tools.deleteRecursively(dataDir);
    }

    @Test
    void runsABoundPodAndReportsItRunningAndReady() {
        create(pod("web", "Always", List.of(), List.of("sleep", "1d")));
        Pod pod = awaitPhase("web", "Running");
        await().untilAsserted(() -> assertThat(condition(get("web"), "Ready")).isEqualTo("True"));
        pod = get("web");
        assertThat(pod.getStatus().getPodIP()).startsWith("10.88.0.");
        ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
        assertThat(status.getState().getRunning()).isNotNull();
        assertThat(status.getContainerID()).startsWith("fake://container-");
        assertThat(status.getReady()).isTrue();
        assertThat(runtime.podCidr()).isEqualTo("10.88.0.0/24");
    }

    @Test
    void aReadinessGateOpenedByAnotherWriterMakesThePodReady() {
        create(new PodBuilder(pod("gated", "Always", List.of(), List.of("sleep", "1d"))).editSpec()
                .addNewReadinessGate().withConditionType("example.com/load-balancer").endReadinessGate().endSpec()
                .build());
        awaitPhase("gated", "Running");
        await().untilAsserted(() -> assertThat(condition(get("gated"), "ContainersReady")).isEqualTo("True"));
        assertThat(condition(get("gated"), "Ready")).isEqualTo("False");

        // Only the status changes: the kubelet must still look again, as the gate decides its Ready condition.
        Pod gated = get("gated");
        gated.getStatus().getConditions().add(new PodConditionBuilder().withType("example.com/load-balancer")
                .withStatus("True").build());
        client.pods().inNamespace(namespace).resource(gated).updateStatus();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(condition(get("gated"), "Ready")).isEqualTo("True"));
    }

    @Test
    void initContainersRunOneAtATimeBeforeTheApp() {
        create(pod("init", "Always", List.of(List.of("exit", "0"), List.of("exit", "0")), List.of("sleep", "1d")));
        awaitPhase("init", "Running");
        assertThat(runtime.started()).containsExactly("init-0", "init-1", "app");
        assertThat(condition(get("init"), "Initialized")).isEqualTo("True");
    }

    @Test
    void aFailedInitContainerWithRestartNeverFailsThePod() {
        create(pod("badinit", "Never", List.of(List.of("exit", "3")), List.of("sleep", "1d")));
        Pod pod = awaitPhase("badinit", "Failed");
        assertThat(pod.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getExitCode())
                .isEqualTo(3);
        assertThat(runtime.started()).containsExactly("init-0");
    }

    @Test
    void restartNeverEndsInSucceededOrFailed() {
        create(pod("ok", "Never", List.of(), List.of("exit", "0")));
        create(pod("ko", "Never", List.of(), List.of("exit", "4")));
        Pod ok = awaitPhase("ok", "Succeeded");
        Pod ko = awaitPhase("ko", "Failed");
        assertThat(ok.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
                .isEqualTo("Completed");
        assertThat(ko.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(4);
        assertThat(condition(ko, "Ready")).isEqualTo("False");
        // A finished pod gives its address back; its containers stay for their logs.
        await().untilAsserted(() -> assertThat(runtime.listPodSandboxes())
                .allMatch(s -> s.state() == io.k4j.kubelet.runtime.PodSandbox.State.NOT_READY));
    }

    @Test
    void aCrashingContainerIsRestartedOnceThenBacksOff() {
        create(pod("crash", "Always", List.of(), List.of("exit", "1")));
        await().ignoreExceptions().untilAsserted(() -> {
            ContainerStatus status = get("crash").getStatus().getContainerStatuses().get(0);
            assertThat(status.getRestartCount()).isEqualTo(1);
            assertThat(status.getState().getWaiting()).isNotNull();
            assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
            assertThat(status.getState().getWaiting().getMessage()).startsWith("back-off 10s restarting failed container=app pod=crash_");
            assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        });
        assertThat(get("crash").getStatus().getPhase()).isEqualTo("Running");
        assertThat(runtime.started()).containsExactly("app", "app");
    }

    @Test
    void aDeletedPodIsStoppedCleanedUpAndRemovedFromTheApi() throws Exception {
        create(pod("gone", "Always", List.of(), List.of("sleep", "1d")));
        Pod pod = awaitPhase("gone", "Running");
        client.pods().inNamespace(namespace).withName("gone").withGracePeriod(5).delete();
        await().untilAsserted(() -> assertThat(get("gone")).isNull());
        assertThat(runtime.listContainers()).noneMatch(c -> c.labels().get("io.kubernetes.pod.uid")
                .equals(pod.getMetadata().getUid()));
        assertThat(dataDir.resolve("pods").resolve(pod.getMetadata().getUid())).doesNotExist();
    }

    @Test
    void aRestartedKubeletAdoptsRunningContainersAndRemovesOrphans() throws Exception {
        create(pod("kept", "Always", List.of(), List.of("sleep", "1d")));
        awaitPhase("kept", "Running");
        String before = get("kept").getStatus().getContainerStatuses().get(0).getContainerID();
        kubelet.close();
        // While the kubelet is down, a pod is deleted for good: its containers are orphans now.
        create(pod("orphan", "Always", List.of(), List.of("sleep", "1d")));
        kubelet = kubelet(runtime);
        awaitPhase("orphan", "Running");
        kubelet.close();
        client.pods().inNamespace(namespace).withName("orphan").withGracePeriod(0).delete();
        await().untilAsserted(() -> assertThat(get("orphan")).isNull());
        kubelet = kubelet(runtime);
        await().untilAsserted(() -> assertThat(runtime.listContainers()).extracting(c -> c.labels()
                .get("io.kubernetes.pod.name")).containsOnly("kept"));
        assertThat(get("kept").getStatus().getContainerStatuses().get(0).getContainerID()).isEqualTo(before);
        // The new kubelet probes the adopted container again, so it stays Ready.
        await().untilAsserted(() -> assertThat(condition(get("kept"), "Ready")).isEqualTo("True"));
        assertThat(runtime.started()).containsExactly("app", "app");
    }

    @Test
    void anUnlistableRuntimeAfterARestartIsWaitedFor() {
        create(pod("steady", "Always", List.of(), List.of("sleep", "1d")));
        awaitPhase("steady", "Running");
        String before = get("steady").getStatus().getContainerStatuses().get(0).getContainerID();
        kubelet.close();
        runtime.failNextLists(5);
        kubelet = kubelet(runtime);
        await().untilAsserted(() -> assertThat(condition(get("steady"), "Ready")).isEqualTo("True"));
        assertThat(runtime.listPodSandboxes()).hasSize(1);
        assertThat(get("steady").getStatus().getContainerStatuses().get(0).getContainerID()).isEqualTo(before);
        assertThat(runtime.started()).containsExactly("app");
    }

    private Pod pod(String name, String restartPolicy, List<List<String>> inits, List<String> command) {
        PodBuilder builder = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).withRestartPolicy(restartPolicy)
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1.36").withCommand(command).endContainer()
                .endSpec();
        for (int index = 0; index < inits.size(); index++) {
            builder.editSpec().addNewInitContainer().withName("init-" + index).withImage("busybox:1.36")
                    .withCommand(inits.get(index)).endInitContainer().endSpec();
        }
        return builder.build();
    }

    private void create(Pod pod) {
        client.pods().inNamespace(namespace).resource(pod).create();
    }

    private Pod get(String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    private Pod awaitPhase(String name, String phase) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(get(name).getStatus().getPhase())
                .isEqualTo(phase));
        return get(name);
    }

    private static String condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .map(c -> c.getStatus()).orElse(null);
    }
}
