package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Node lifecycle, node IPAM, disruption budgets and resource quotas inside {@code k4j server}, through kubectl,
 * against three simulated nodes renewing their leases every second and a node monitor grace period of 5 s. The
 * node failure test runs last: it takes sim-node-1 down (and brings it back).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLifecycleIT {

    @RegisterExtension
    static final ServerPerClass CLUSTER = ServerPerClass.withSimulatedNodes(3, "--simulated-node-lease-interval", "1s",
            "--node-monitor-grace-period", "5s");

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String jsonpath(String namespace, String object, String path) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("get", object, "-o", "jsonpath=" + path));
        if (namespace != null) {
            args.addAll(List.of("-n", namespace));
        }
        return CLUSTER.server().kubectl(args.toArray(String[]::new)).assertOk().out().trim();
    }

    private static void pod(String namespace, String name, String labels, String spec) throws Exception {
        CLUSTER.server().kubectlApply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s, labels: {%s}}
                spec:
                  containers: [{name: app, image: registry.k8s.io/pause:3.10}]
                %s
                """.formatted(name, namespace, labels, spec.indent(2))).assertOk();
    }

    private static void awaitReady(String namespace, String pod) {
        await().atMost(WAIT).until(() -> jsonpath(namespace, "pod/" + pod,
                "{.status.conditions[?(@.type==\"Ready\")].status}").equals("True"));
    }

    private static String evict(String namespace, String pod) throws Exception {
        var result = CLUSTER.server().kubectl("create", "--raw", "/api/v1/namespaces/" + namespace + "/pods/" + pod
                + "/eviction", "-f", writeEviction(namespace, pod).toString());
        return result.exitCode() + " " + result.out();
    }

    private static Path writeEviction(String namespace, String pod) throws Exception {
        Path file = CLUSTER.dir().resolve("eviction-" + pod + ".json");
        java.nio.file.Files.writeString(file, """
                {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "%s", "namespace": "%s"}}
                """.formatted(pod, namespace));
        return file;
    }

    @Test
    @Order(1)
    void nodesGetPodCidrsFromTheClusterCidr() throws Exception {
        assertThat(jsonpath(null, "nodes", "{.items[*].spec.podCIDR}").split(" "))
                .containsExactlyInAnyOrder("10.42.0.0/24", "10.42.1.0/24", "10.42.2.0/24");
        CLUSTER.server().kubectlApply("{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"bare\"}}")
                .assertOk();
        await().atMost(WAIT).until(() -> jsonpath(null, "node/bare", "{.spec.podCIDR}").equals("10.42.3.0/24"));
        assertThat(jsonpath(null, "node/bare", "{.spec.podCIDRs}")).isEqualTo("[\"10.42.3.0/24\"]");
        CLUSTER.server().kubectl("delete", "node", "bare").assertOk();
    }

    @Test
    @Order(2)
    void aDisruptionBudgetBlocksEvictionsAndDrainsWith429() throws Exception {
        CLUSTER.server().kubectl("create", "namespace", "budget").assertOk();
        for (String name : List.of("web-0", "web-1")) {
            pod("budget", name, "app: web", "nodeName: sim-node-0");
        }
        CLUSTER.server().kubectl("create", "pdb", "web", "-n", "budget", "--selector=app=web", "--min-available=2").assertOk();
        awaitReady("budget", "web-0");
        awaitReady("budget", "web-1");
        await().atMost(WAIT).until(() -> jsonpath("budget", "pdb/web", "{.status.currentHealthy}").equals("2"));
        assertThat(jsonpath("budget", "pdb/web", "{.status.disruptionsAllowed}")).isEqualTo("0");
        assertThat(jsonpath("budget", "pdb/web", "{.status.conditions[0].reason}")).isEqualTo("InsufficientPods");

        assertThat(evict("budget", "web-0")).startsWith("1 ").contains("Error from server (TooManyRequests)",
                "Cannot evict pod as it would violate the pod's disruption budget.");
        var drain = CLUSTER.server().kubectl("drain", "sim-node-0", "--force", "--pod-selector=app=web", "--timeout=6s");
        assertThat(drain.exitCode()).isNotZero();
        assertThat(drain.out()).contains("Cannot evict pod as it would violate the pod's disruption budget.");
        CLUSTER.server().kubectl("uncordon", "sim-node-0").assertOk();
        assertThat(jsonpath("budget", "pods", "{.items[*].metadata.deletionTimestamp}")).isEmpty();

        CLUSTER.server().kubectl("patch", "pdb", "web", "-n", "budget", "--type=merge", "-p", "{\"spec\":{\"minAvailable\":1}}")
                .assertOk();
        await().atMost(WAIT).until(() -> jsonpath("budget", "pdb/web", "{.status.disruptionsAllowed}").equals("1"));
        assertThat(jsonpath("budget", "pdb/web", "{.status.conditions[0].reason}")).isEqualTo("SufficientPods");
        assertThat(evict("budget", "web-0")).startsWith("0 ");
        await().atMost(WAIT).until(() -> CLUSTER.server().kubectl("get", "pod", "web-0", "-n", "budget").exitCode() != 0);
        assertThat(jsonpath("budget", "pdb/web", "{.status.disruptionsAllowed}")).isEqualTo("0");
    }

    @Test
    @Order(3)
    void aResourceQuotaShowsWhatTheNamespaceUses() throws Exception {
        CLUSTER.server().kubectl("create", "namespace", "quota").assertOk();
        CLUSTER.server().kubectl("create", "quota", "limits", "-n", "quota", "--hard=pods=5,requests.cpu=2,configmaps=10")
                .assertOk();
        pod("quota", "a", "app: a", "nodeName: sim-node-2");
        pod("quota", "b", "app: b", "nodeName: sim-node-2");
        await().atMost(WAIT).until(() -> jsonpath("quota", "quota/limits", "{.status.used.pods}").equals("2"));
        assertThat(jsonpath("quota", "quota/limits", "{.status.hard.pods}")).isEqualTo("5");
        assertThat(CLUSTER.server().kubectl("describe", "quota", "limits", "-n", "quota").assertOk().out())
                .containsPattern("pods\\s+2\\s+5");
    }

    @Test
    @Order(4)
    void aNodeThatStopsHeartbeatingGoesNotReadyAndItsPodsAreEvictedAndReplacedElsewhere() throws Exception {
        CLUSTER.server().kubectl("create", "namespace", "failure").assertOk();
        pod("failure", "hasty", "app: hasty", """
                nodeName: sim-node-1
                tolerations:
                - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}""");
        pod("failure", "patient", "app: patient", "nodeName: sim-node-1");
        awaitReady("failure", "hasty");
        awaitReady("failure", "patient");
        CLUSTER.server().kubectlApply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: failure}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      affinity:
                        nodeAffinity:
                          preferredDuringSchedulingIgnoredDuringExecution:
                          - weight: 100
                            preference:
                              matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [sim-node-1]}]
                      tolerations:
                      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
                      containers: [{name: app, image: registry.k8s.io/pause:3.10}]
                """).assertOk();
        CLUSTER.server().kubectl("rollout", "status", "deployment/web", "-n", "failure", "--timeout=60s").assertOk();
        assertThat(jsonpath("failure", "pods", "{.items[?(@.metadata.labels.app==\"web\")].spec.nodeName}"))
                .isEqualTo("sim-node-1");
        assertThat(jsonpath("failure", "pod/patient", "{.spec.tolerations[?(@.key==\"node.kubernetes.io/unreachable\")]"
                + ".tolerationSeconds}")).isEqualTo("300");

        CLUSTER.server().kubectl("annotate", "node", "sim-node-1", "simulation.k4j.io/heartbeat=stopped").assertOk();
        await().atMost(WAIT).until(() -> jsonpath(null, "node/sim-node-1",
                "{.status.conditions[?(@.type==\"Ready\")].status}").equals("Unknown"));
        assertThat(jsonpath(null, "node/sim-node-1", "{.status.conditions[?(@.type==\"Ready\")].reason}"))
                .isEqualTo("NodeStatusUnknown");
        assertThat(CLUSTER.server().kubectl("get", "node", "sim-node-1").assertOk().out()).contains("NotReady");
        await().atMost(WAIT).until(() -> jsonpath(null, "node/sim-node-1", "{.spec.taints[*].effect}")
                .contains("NoExecute"));
        assertThat(jsonpath(null, "node/sim-node-1", "{.spec.taints[*].key}"))
                .isEqualTo("node.kubernetes.io/unreachable node.kubernetes.io/unreachable");

        await().atMost(WAIT).until(() -> !jsonpath("failure", "pod/hasty", "{.metadata.deletionTimestamp}").isEmpty());
        assertThat(jsonpath("failure", "pod/hasty", "{.status.conditions[?(@.type==\"DisruptionTarget\")].reason}"))
                .isEqualTo("DeletionByTaintManager");
        assertThat(CLUSTER.server().kubectl("get", "events", "-n", "failure", "--field-selector", "reason=TaintManagerEviction")
                .assertOk().out()).contains("Marking for deletion Pod failure/hasty");
        assertThat(jsonpath("failure", "pod/patient", "{.metadata.deletionTimestamp}")).isEmpty();
        assertThat(jsonpath("failure", "pod/patient", "{.status.conditions[?(@.type==\"Ready\")].status}"))
                .isEqualTo("False");

        await().atMost(WAIT).until(() -> !jsonpath("failure", "pods", "{.items[?(@.metadata.labels.app==\"web\")]"
                + ".metadata.deletionTimestamp}").isEmpty());
        await().atMost(WAIT).until(() -> CLUSTER.server().kubectl("get", "pods", "-n", "failure", "-l", "app=web",
                "--field-selector", "spec.nodeName!=sim-node-1,status.phase=Running", "-o", "name").out().lines()
                .filter(line -> line.startsWith("pod/")).count() == 1);
        CLUSTER.server().kubectl("rollout", "status", "deployment/web", "-n", "failure", "--timeout=60s").assertOk();

        CLUSTER.server().kubectl("annotate", "node", "sim-node-1", "simulation.k4j.io/heartbeat-").assertOk();
        await().atMost(WAIT).until(() -> jsonpath(null, "node/sim-node-1",
                "{.status.conditions[?(@.type==\"Ready\")].status}").equals("True"));
        await().atMost(WAIT).until(() -> jsonpath(null, "node/sim-node-1", "{.spec.taints}").isEmpty());
        await().atMost(WAIT).until(() -> CLUSTER.server().kubectl("get", "pod", "hasty", "-n", "failure").exitCode() != 0);
        awaitReady("failure", "patient");
    }
}
