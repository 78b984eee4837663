package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deployment and replicaset controllers inside {@code k4j server}, driven through kubectl against three
 * simulated nodes (which make bound pods Running and Ready). Each test uses its own namespace.
 */
class DeploymentIT {

    @RegisterExtension
    static final ServerPerClass CLUSTER = ServerPerClass.withSimulatedNodes(3);

    static KubernetesClient client;

    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void connect() throws Exception {
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(CLUSTER.server().kubeconfig()))).build();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    private static String deployment(String namespace, int replicas, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: %s
                spec:
                  replicas: %d
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxSurge: 2, maxUnavailable: 1}
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: app
                        image: %s
                """.formatted(namespace, replicas, image);
    }

    private static RunningServer.Result kubectl(String... args) throws Exception {
        return CLUSTER.server().kubectl(args);
    }

    private static void rolloutStatus(String namespace) throws Exception {
        kubectl("rollout", "status", "deployment/web", "-n", namespace, "--timeout=60s").assertOk();
    }

    private static String jsonpath(String namespace, String object, String path) throws Exception {
        return kubectl("get", object, "-n", namespace, "-o", "jsonpath=" + path).assertOk().out().trim();
    }

    private static void create(String namespace, int replicas) throws Exception {
        kubectl("create", "namespace", namespace).assertOk();
        CLUSTER.server().kubectlApply(deployment(namespace, replicas, "nginx:1.25")).assertOk();
        rolloutStatus(namespace);
    }

    /**
     * Watches a namespace's ReplicaSets and pods: the most replicas the ReplicaSets asked for together, and the
     * fewest ready pods, at any moment. maxSurge bounds the ReplicaSets' replicas, as upstream's controller does:
     * their pods come and go a little later (an old one's deletion may be seen after a new one's creation).
     */
    private static final class RolloutCensus implements AutoCloseable {
        private final Map<String, Integer> replicas = new HashMap<>();
        private final Map<String, Pod> pods = new HashMap<>();
        final AtomicInteger mostReplicas = new AtomicInteger();
        final AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
        private final Watch replicaSetWatch;
        private final Watch podWatch;

        RolloutCensus(String namespace) {
            var replicaSets = client.apps().replicaSets().inNamespace(namespace).list();
            replicaSets.getItems().forEach(this::replicaSet);
            replicaSetWatch = client.apps().replicaSets().inNamespace(namespace)
                    .withResourceVersion(replicaSets.getMetadata().getResourceVersion())
                    .watch(watcher((action, rs) -> {
                        if (action == Watcher.Action.DELETED) {
                            replicas.remove(rs.getMetadata().getName());
                        } else {
                            replicaSet(rs);
                        }
                    }));
            var podList = client.pods().inNamespace(namespace).list();
            podList.getItems().forEach(pod -> pods.put(pod.getMetadata().getName(), pod));
            countReady();
            podWatch = client.pods().inNamespace(namespace)
                    .withResourceVersion(podList.getMetadata().getResourceVersion())
                    .watch(watcher((action, pod) -> {
                        if (action == Watcher.Action.DELETED || pod.getMetadata().getDeletionTimestamp() != null) {
                            pods.remove(pod.getMetadata().getName());
                        } else {
                            pods.put(pod.getMetadata().getName(), pod);
                        }
                        countReady();
                    }));
        }

        private synchronized void replicaSet(io.fabric8.kubernetes.api.model.apps.ReplicaSet rs) {
            replicas.put(rs.getMetadata().getName(), rs.getSpec().getReplicas());
            mostReplicas.accumulateAndGet(replicas.values().stream().mapToInt(Integer::intValue).sum(), Math::max);
        }

        private synchronized void countReady() {
            int ready = (int) pods.values().stream().filter(RolloutCensus::ready).count();
            fewestReady.accumulateAndGet(ready, Math::min);
        }

        private <T> Watcher<T> watcher(java.util.function.BiConsumer<Watcher.Action, T> onEvent) {
            return new Watcher<>() {
                @Override
                public void eventReceived(Action action, T object) {
                    synchronized (RolloutCensus.this) {
                        onEvent.accept(action, object);
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            };
        }

        private static boolean ready(Pod pod) {
            return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus()
                    .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        }

        @Override
        public void close() {
            replicaSetWatch.close();
            podWatch.close();
        }
    }

    @Test
    void aRollingUpdateStaysWithinItsBoundsAndUndoGoesBack() throws Exception {
        create("rolling", 6);
        assertThat(jsonpath("rolling", "deployment/web", "{.status.readyReplicas}")).isEqualTo("6");
        RolloutCensus census;
        try (RolloutCensus watching = new RolloutCensus("rolling")) {
            census = watching;
            kubectl("set", "image", "deployment/web", "app=nginx:1.26", "-n", "rolling").assertOk();
            rolloutStatus("rolling");
            await().atMost(WAIT).until(() -> client.pods().inNamespace("rolling").list().getItems().size() == 6);
        }
        assertThat(census.mostReplicas.get()).as("ReplicaSet replicas at most replicas + maxSurge")
                .isLessThanOrEqualTo(8);
        assertThat(census.fewestReady.get()).as("ready pods at least replicas - maxUnavailable")
                .isGreaterThanOrEqualTo(5);

        String replicaSets = kubectl("get", "rs", "-n", "rolling", "--no-headers",
                "-o", "custom-columns=NAME:.metadata.name,DESIRED:.spec.replicas,IMAGE:.spec.template.spec.containers[0].image")
                .assertOk().out();
        assertThat(replicaSets.lines()).hasSize(2);
        assertThat(replicaSets).containsPattern("web-\\w+\\s+6\\s+nginx:1.26").containsPattern("web-\\w+\\s+0\\s+nginx:1.25");
        assertThat(jsonpath("rolling", "pods", "{.items[*].spec.containers[0].image}").split(" "))
                .containsOnly("nginx:1.26");

        String history = kubectl("rollout", "history", "deployment/web", "-n", "rolling").assertOk().out();
        assertThat(history).containsPattern("(?m)^1\\s+<none>").containsPattern("(?m)^2\\s+<none>");

        kubectl("rollout", "undo", "deployment/web", "-n", "rolling").assertOk();
        rolloutStatus("rolling");
        assertThat(jsonpath("rolling", "deployment/web", "{.spec.template.spec.containers[0].image}"))
                .isEqualTo("nginx:1.25");
        assertThat(jsonpath("rolling", "deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"))
                .isEqualTo("3");
        assertThat(kubectl("rollout", "history", "deployment/web", "-n", "rolling").assertOk().out())
                .containsPattern("(?m)^2\\s").containsPattern("(?m)^3\\s").doesNotContainPattern("(?m)^1\\s");
        await().atMost(WAIT).until(() -> jsonpath("rolling", "pods", "{.items[*].spec.containers[0].image}")
                .equals("nginx:1.25 ".repeat(6).trim()));
    }

    @Test
    void pauseResumeRestartAndScale() throws Exception {
        create("paused", 3);
        kubectl("rollout", "pause", "deployment/web", "-n", "paused").assertOk();
        kubectl("set", "image", "deployment/web", "app=nginx:1.26", "-n", "paused").assertOk();
        await().atMost(WAIT).until(() -> jsonpath("paused", "deployment/web",
                "{.status.conditions[?(@.type==\"Progressing\")].reason}").equals("DeploymentPaused"));
        assertThat(jsonpath("paused", "rs", "{.items[*].spec.template.spec.containers[0].image}"))
                .isEqualTo("nginx:1.25");

        kubectl("rollout", "resume", "deployment/web", "-n", "paused").assertOk();
        rolloutStatus("paused");
        assertThat(jsonpath("paused", "pods", "{.items[*].spec.containers[0].image}")).isEqualTo("nginx:1.26 ".repeat(3).trim());

        kubectl("rollout", "restart", "deployment/web", "-n", "paused").assertOk();
        rolloutStatus("paused");
        assertThat(jsonpath("paused", "rs", "{.items[*].metadata.name}").split(" ")).hasSize(3);
        assertThat(jsonpath("paused", "deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"))
                .isEqualTo("3");

        kubectl("scale", "deployment/web", "--replicas=5", "-n", "paused").assertOk();
        rolloutStatus("paused");
        await().atMost(WAIT).until(() -> jsonpath("paused", "deployment/web", "{.status.availableReplicas}").equals("5"));
        assertThat(jsonpath("paused", "pods", "{.items[*].status.phase}")).isEqualTo("Running ".repeat(5).trim());
        kubectl("scale", "deployment/web", "--replicas=1", "-n", "paused").assertOk();
        rolloutStatus("paused");
        await().atMost(WAIT).until(() -> client.pods().inNamespace("paused").list().getItems().size() == 1);
    }

    @Test
    void describeShowsConditionsStrategyAndScalingEvents() throws Exception {
        create("described", 2);
        await().atMost(WAIT).untilAsserted(() -> {
            String describe = kubectl("describe", "deployment", "web", "-n", "described").assertOk().out();
            assertThat(describe)
                    .containsPattern("Replicas:\\s+2 desired \\| 2 updated \\| 2 total \\| 2 available \\| 0 unavailable")
                    .containsPattern("StrategyType:\\s+RollingUpdate")
                    .containsPattern("RollingUpdateStrategy:\\s+1 max unavailable, 2 max surge")
                    .containsPattern("Available\\s+True\\s+MinimumReplicasAvailable")
                    .containsPattern("Progressing\\s+True\\s+NewReplicaSetAvailable")
                    .containsPattern("NewReplicaSet:\\s+web-\\w+ \\(2/2 replicas created\\)")
                    .containsPattern("ScalingReplicaSet\\s+.*Scaled up replica set web-\\w+ from 0 to 2");
        });
        String rs = jsonpath("described", "rs", "{.items[0].metadata.name}");
        assertThat(kubectl("describe", "rs", rs, "-n", "described").assertOk().out())
                .containsPattern("Pods Status:\\s+2 Running / 0 Waiting / 0 Succeeded / 0 Failed")
                .containsPattern("SuccessfulCreate\\s+.*Created pod: " + rs + "-\\w+");
    }

    @Test
    void deletingADeploymentRemovesItsReplicaSetsAndPods() throws Exception {
        create("cascade", 2);
        assertThat(kubectl("get", "replicasets,pods", "-n", "cascade", "-o", "name").assertOk().out()
                .lines().count()).isEqualTo(3);

        kubectl("delete", "deployment", "web", "-n", "cascade").assertOk();

        await().atMost(WAIT).until(() -> kubectl("get", "replicasets,pods", "-n", "cascade", "-o", "name")
                .assertOk().out().isBlank());
    }
}
