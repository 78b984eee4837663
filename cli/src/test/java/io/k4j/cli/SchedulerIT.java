package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduler inside {@code k4j server}, driven through kubectl against six simulated nodes (4 CPUs each) spread
 * over three zones: sim-node-0 and 3 in zone-0, 1 and 4 in zone-1, 2 and 5 in zone-2. Each test uses its own
 * namespace and deletes its pods, so the nodes are empty again for the next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerIT {

    @RegisterExtension
    static final ServerPerClass CLUSTER = ServerPerClass.withSimulatedNodes(6, "--simulated-node-zones", "3",
            "--simulated-node-capacity", "cpu=4,memory=16Gi,pods=110");

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String pod(String namespace, String name, String spec) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  labels: {test: scheduler}
                spec:
                  containers:
                  - name: app
                    image: registry.k8s.io/pause:3.10
                %s
                """.formatted(name, namespace, spec.indent(2));
    }

    /** A container's CPU request, as the first line of a pod()'s spec text (it continues the container). */
    private static String requests(String cpu) {
        return "  resources: {requests: {cpu: \"" + cpu + "\"}}";
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

    private static String awaitNode(String namespace, String pod) {
        String[] node = new String[1];
        await().atMost(WAIT).until(() -> !(node[0] = jsonpath(namespace, "pod/" + pod, "{.spec.nodeName}")).isEmpty());
        return node[0];
    }

    private static String awaitPendingMessage(String namespace, String pod) throws Exception {
        String[] message = new String[1];
        await().atMost(WAIT).until(() -> !(message[0] = jsonpath(namespace, "pod/" + pod,
                "{.status.conditions[?(@.type==\"PodScheduled\")].message}")).isEmpty());
        assertThat(jsonpath(namespace, "pod/" + pod, "{.spec.nodeName}")).isEmpty();
        return message[0];
    }

    private static String zoneOf(String node) {
        return "zone-" + (Integer.parseInt(node.substring("sim-node-".length())) % 3);
    }

    /** k4j explain pod, once the scheduler's explanation (written beside the condition) has landed. */
    private static String explain(String namespace, String pod, String expected) {
        String[] out = new String[1];
        await().atMost(WAIT).until(() -> (out[0] = CLUSTER.server().k4j("explain", "pod", pod, "-n", namespace).assertOk().out())
                .contains(expected));
        return out[0];
    }

    private static void deletePods(String namespace) throws Exception {
        CLUSTER.server().kubectl("delete", "pods", "--all", "-n", namespace, "--wait=true", "--timeout=60s").assertOk();
    }

    @Test
    @Order(1)
    void placesWhatFitsAndExplainsWhatDoesNot() throws Exception {
        namespace("fit");
        apply(pod("fit", "fits", requests("3")));
        assertThat(awaitNode("fit", "fits")).startsWith("sim-node-");
        await().atMost(WAIT).until(() -> jsonpath("fit", "pod/fits", "{.status.phase}").equals("Running"));

        apply(pod("fit", "too-big", requests("5")));
        assertThat(awaitPendingMessage("fit", "too-big")).isEqualTo("0/6 nodes are available: 6 Insufficient cpu. "
                + "preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod..");
        assertThat(CLUSTER.server().kubectl("get", "events", "-n", "fit", "--field-selector", "reason=FailedScheduling").out())
                .contains("pod/too-big", "6 Insufficient cpu");
        String explained = explain("fit", "too-big", "not scheduled");
        assertThat(explained).contains("not scheduled", "NodeResourcesFit", "Insufficient cpu", "6");
        String placed = explain("fit", "fits", "scheduled on");
        assertThat(placed).contains("scheduled on sim-node-", "NodeResourcesFit", "TaintToleration");
        deletePods("fit");
    }

    @Test
    @Order(2)
    void honoursNodeSelectorsAndNodeAffinity() throws Exception {
        namespace("affinity");
        apply(pod("affinity", "in-zone-1", "nodeSelector: {topology.kubernetes.io/zone: zone-1}"));
        apply(pod("affinity", "not-0-or-1", """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions:
                        - {key: topology.kubernetes.io/zone, operator: NotIn, values: [zone-0, zone-1]}"""));
        apply(pod("affinity", "nowhere", "nodeSelector: {topology.kubernetes.io/zone: zone-9}"));
        assertThat(zoneOf(awaitNode("affinity", "in-zone-1"))).isEqualTo("zone-1");
        assertThat(zoneOf(awaitNode("affinity", "not-0-or-1"))).isEqualTo("zone-2");
        assertThat(awaitPendingMessage("affinity", "nowhere"))
                .startsWith("0/6 nodes are available: 6 node(s) didn't match Pod's node affinity/selector.");
        assertThat(explain("affinity", "nowhere", "not scheduled"))
                .contains("NodeAffinity", "didn't match Pod's node affinity/selector");
        deletePods("affinity");
    }

    @Test
    @Order(3)
    void keepsPodsOffTaintedNodesUnlessTheyTolerate() throws Exception {
        namespace("taints");
        CLUSTER.server().kubectl("taint", "nodes", "sim-node-0", "dedicated=db:NoSchedule").assertOk();
        try {
            String onNode0 = "nodeSelector: {kubernetes.io/hostname: sim-node-0}";
            apply(pod("taints", "intolerant", onNode0));
            apply(pod("taints", "tolerant", onNode0 + """

                    tolerations:
                    - {key: dedicated, operator: Equal, value: db, effect: NoSchedule}"""));
            assertThat(awaitNode("taints", "tolerant")).isEqualTo("sim-node-0");
            assertThat(awaitPendingMessage("taints", "intolerant")).startsWith("0/6 nodes are available: "
                    + "1 node(s) had untolerated taint {dedicated: db}, 5 node(s) didn't match Pod's node affinity/selector.");
            assertThat(explain("taints", "intolerant", "not scheduled"))
                    .contains("TaintToleration", "sim-node-0", "NodeAffinity");
        } finally {
            CLUSTER.server().kubectl("taint", "nodes", "sim-node-0", "dedicated-").assertOk();
        }
        deletePods("taints");
    }

    @Test
    @Order(4)
    void spreadsAntiAffinePodsOverZones() throws Exception {
        namespace("anti");
        String antiAffinity = """
                affinity:
                  podAntiAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                    - labelSelector: {matchLabels: {app: zonal}}
                      topologyKey: topology.kubernetes.io/zone""";
        List<String> zones = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            apply(pod("anti", "zonal-" + i, antiAffinity).replace("labels: {test: scheduler}", "labels: {app: zonal}"));
            zones.add(zoneOf(awaitNode("anti", "zonal-" + i)));
        }
        assertThat(zones).containsExactlyInAnyOrder("zone-0", "zone-1", "zone-2");
        apply(pod("anti", "zonal-3", antiAffinity).replace("labels: {test: scheduler}", "labels: {app: zonal}"));
        assertThat(awaitPendingMessage("anti", "zonal-3"))
                .startsWith("0/6 nodes are available: 6 node(s) didn't match pod anti-affinity rules.");
        deletePods("anti");
    }

    @Test
    @Order(5)
    void spreadsPodsEvenlyWithTopologySpreadConstraints() throws Exception {
        namespace("spread");
        String constraint = """
                topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: {matchLabels: {app: spread}}""";
        Map<String, Integer> perZone = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            apply(pod("spread", "spread-" + i, constraint).replace("labels: {test: scheduler}", "labels: {app: spread}"));
            perZone.merge(zoneOf(awaitNode("spread", "spread-" + i)), 1, Integer::sum);
        }
        assertThat(perZone).isEqualTo(Map.of("zone-0", 2, "zone-1", 2, "zone-2", 2));
        deletePods("spread");
    }

    @Test
    @Order(6)
    void preemptsLowerPriorityPodsToPlaceAHigherPriorityOne() throws Exception {
        namespace("prio");
        apply("""
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: it-low}
                value: 100
                ---
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: it-high}
                value: 100000
                """);
        for (int i = 0; i < 6; i++) {
            apply(pod("prio", "low-" + i, requests("3") + "\npriorityClassName: it-low"));
        }
        for (int i = 0; i < 6; i++) {
            awaitNode("prio", "low-" + i);
        }
        apply(pod("prio", "high", requests("2") + "\npriorityClassName: it-high"));
        String node = awaitNode("prio", "high");
        assertThat(node).startsWith("sim-node-");
        await().atMost(WAIT).until(() -> CLUSTER.server().kubectl("get", "pods", "-n", "prio", "-l", "test=scheduler",
                "--no-headers").out().lines().filter(line -> line.startsWith("low-")).count() == 5);
        assertThat(CLUSTER.server().kubectl("get", "events", "-n", "prio", "--field-selector", "reason=Preempted").out())
                .contains("Preempted by pod");
        deletePods("prio");
    }

    @Test
    @Order(7)
    void schedulesAPendingPodAsSoonAsAFittingNodeAppears() throws Exception {
        namespace("later");
        apply(pod("later", "waits", requests("10")));
        awaitPendingMessage("later", "waits");
        apply("""
                apiVersion: v1
                kind: Node
                metadata:
                  name: big
                  labels: {kubernetes.io/hostname: big}
                status:
                  capacity: {cpu: "16", memory: 64Gi, pods: "110"}
                  allocatable: {cpu: "16", memory: 64Gi, pods: "110"}
                  conditions: [{type: Ready, status: "True"}]
                """);
        try {
            assertThat(awaitNode("later", "waits")).isEqualTo("big");
        } finally {
            CLUSTER.server().kubectl("delete", "pod", "waits", "-n", "later", "--grace-period=0", "--force").assertOk();
            CLUSTER.server().kubectl("delete", "node", "big").assertOk();
        }
    }

    @Test
    @Order(8)
    void aSecondSchedulerWaitsForTheLeaseTheServersSchedulerHolds() throws Exception {
        String holder = jsonpath("kube-system", "lease/kube-scheduler", "{.spec.holderIdentity}");
        assertThat(holder).isNotEmpty();
        Process second = new ProcessBuilder(RunningServer.java("scheduler", "--kubeconfig", CLUSTER.server().kubeconfig().toString()))
                .redirectErrorStream(true).redirectOutput(CLUSTER.dir().resolve("second-scheduler.log").toFile()).start();
        try {
            await().atMost(WAIT).until(() -> java.nio.file.Files.readString(CLUSTER.dir().resolve("second-scheduler.log"))
                    .contains("campaigning for the kube-system/kube-scheduler lease"));
            namespace("lease");
            apply(pod("lease", "once", requests("100m")));
            awaitNode("lease", "once");
            assertThat(jsonpath("kube-system", "lease/kube-scheduler", "{.spec.holderIdentity}")).isEqualTo(holder);
            assertThat(java.nio.file.Files.readString(CLUSTER.dir().resolve("second-scheduler.log"))).doesNotContain("became the scheduler leader");
            deletePods("lease");
        } finally {
            second.destroy();
            second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(9)
    void theServersSchedulerStopsWhileAnotherHoldsItsLeaseAndCampaignsAgain() throws Exception {
        String holder = jsonpath("kube-system", "lease/kube-scheduler", "{.spec.holderIdentity}");
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        CLUSTER.server().kubectl("patch", "lease", "kube-scheduler", "-n", "kube-system", "--type", "merge", "-p",
                "{\"spec\":{\"holderIdentity\":\"someone-else\",\"leaseDurationSeconds\":3600,\"renewTime\":\"" + now
                        + "\"}}").assertOk();
        // Its renewals fail from here; within its 10 s renew deadline it stops scheduling.
        await().atMost(WAIT).until(() -> CLUSTER.server().log().contains(holder + " lost the scheduler lease"));
        namespace("lease-taken");
        apply(pod("lease-taken", "waits", requests("100m")));
        assertThat(jsonpath("lease-taken", "pod/waits", "{.spec.nodeName}")).isEmpty();

        // Freed, the lease goes back to the server's scheduler (it kept campaigning), which places the pod.
        CLUSTER.server().kubectl("delete", "lease", "kube-scheduler", "-n", "kube-system").assertOk();
        awaitNode("lease-taken", "waits");
        assertThat(jsonpath("kube-system", "lease/kube-scheduler", "{.spec.holderIdentity}")).isEqualTo(holder);
        deletePods("lease-taken");
    }
}
