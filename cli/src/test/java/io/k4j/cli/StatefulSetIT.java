package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The StatefulSet and DaemonSet controllers inside {@code k4j server}, driven through kubectl against three simulated
 * nodes (which make bound pods Running and Ready). Each test has its own namespace; the test that adds a node runs
 * last, as that node runs nothing and would hold up later rollouts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulSetIT {

    @RegisterExtension
    static final ServerPerClass CLUSTER = ServerPerClass.withSimulatedNodes(3);

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String kubectl(String... args) throws Exception {
        return CLUSTER.server().kubectl(args).assertOk().out();
    }

    private static String get(String namespace, String object, String jsonPath) throws Exception {
        return kubectl("-n", namespace, "get", object, "-o", "jsonpath=" + jsonPath);
    }

    private static Instant time(String text) {
        return Instant.parse(text.trim());
    }

    private static final String WEB = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: web
            spec:
              serviceName: nginx
              replicas: 3
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.25
                    volumeMounts:
                    - {name: www, mountPath: /usr/share/nginx/html}
              volumeClaimTemplates:
              - metadata: {name: www}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
            """;

    @Test
    @Order(1)
    void statefulSetPodsAppearInOrderWithTheirClaimsAndRollOutAndBack() throws Exception {
        kubectl("create", "namespace", "sts");
        kubectl("-n", "sts", "apply", "-f", write("web.yaml", WEB));

        assertThat(kubectl("-n", "sts", "rollout", "status", "sts/web", "--timeout=60s"))
                .contains("partitioned roll out complete: 3 new pods have been updated...");
        for (int ordinal = 1; ordinal < 3; ordinal++) {
            Instant formerReady = time(get("sts", "pod/web-" + (ordinal - 1),
                    "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}"));
            Instant created = time(get("sts", "pod/web-" + ordinal, "{.metadata.creationTimestamp}"));
            assertThat(created).as("web-%d is created once web-%d is ready", ordinal, ordinal - 1)
                    .isAfterOrEqualTo(formerReady);
            assertThat(get("sts", "pod/web-" + ordinal,
                    "{.spec.hostname} {.spec.subdomain} {.metadata.labels.apps\\.kubernetes\\.io/pod-index} "
                            + "{.spec.volumes[?(@.name==\"www\")].persistentVolumeClaim.claimName}"))
                    .isEqualTo("web-" + ordinal + " nginx " + ordinal + " www-web-" + ordinal);
        }
        assertThat(kubectl("-n", "sts", "get", "pvc", "-o", "name").lines().toList())
                .containsExactly("persistentvolumeclaim/www-web-0", "persistentvolumeclaim/www-web-1",
                        "persistentvolumeclaim/www-web-2");
        assertThat(kubectl("-n", "sts", "get", "events", "--field-selector", "reason=SuccessfulCreate",
                "-o", "jsonpath={.items[*].message}"))
                .contains("create Pod web-0 in StatefulSet web successful",
                        "create Claim www-web-2 Pod web-2 in StatefulSet web success");

        kubectl("-n", "sts", "set", "image", "sts/web", "nginx=nginx:1.26");
        kubectl("-n", "sts", "rollout", "status", "sts/web", "--timeout=60s");
        assertThat(get("sts", "pods", "{.items[*].spec.containers[0].image}")).isEqualTo("nginx:1.26 nginx:1.26 nginx:1.26");
        assertThat(columns(kubectl("-n", "sts", "rollout", "history", "sts/web"))).containsExactly("1", "2");

        assertThat(kubectl("-n", "sts", "rollout", "undo", "sts/web")).contains("rolled back");
        kubectl("-n", "sts", "rollout", "status", "sts/web", "--timeout=60s");
        await().atMost(WAIT).until(() -> get("sts", "pods", "{.items[*].spec.containers[0].image}")
                .equals("nginx:1.25 nginx:1.25 nginx:1.25"));
        assertThat(columns(kubectl("-n", "sts", "rollout", "history", "sts/web"))).containsExactly("2", "3");
        assertThat(kubectl("-n", "sts", "rollout", "undo", "sts/web", "--to-revision=3"))
                .contains("skipped rollback (current template already matches revision 3)");
        assertThat(get("sts", "sts/web", "{.status.currentRevision}={.status.updateRevision}"))
                .matches("(web-\\w+)=\\1");

        kubectl("-n", "sts", "scale", "sts/web", "--replicas=1");
        await().atMost(WAIT).until(() -> get("sts", "pods", "{.items[*].metadata.name}").equals("web-0"));
        assertThat(kubectl("-n", "sts", "get", "pvc", "-o", "name").lines().count())
                .as("claims outlive a scale-down").isEqualTo(3);
    }

    private static final String AGENT = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: agent
            spec:
              selector:
                matchLabels: {app: agent}
              template:
                metadata:
                  labels: {app: agent}
                spec:
                  containers:
                  - name: agent
                    image: agent:1
            """;

    @Test
    @Order(2)
    void aDaemonSetCoversEveryNodeAndRollsOut() throws Exception {
        kubectl("create", "namespace", "ds");
        kubectl("-n", "ds", "apply", "-f", write("agent.yaml", AGENT));

        assertThat(kubectl("-n", "ds", "rollout", "status", "ds/agent", "--timeout=60s"))
                .contains("daemon set \"agent\" successfully rolled out");
        assertThat(nodesOf("ds")).containsExactly("sim-node-0", "sim-node-1", "sim-node-2");
        String firstPods = get("ds", "pods", "{.items[*].metadata.name}");

        kubectl("-n", "ds", "set", "image", "ds/agent", "agent=agent:2");
        assertThat(kubectl("-n", "ds", "rollout", "status", "ds/agent", "--timeout=60s"))
                .contains("daemon set \"agent\" successfully rolled out");
        await().atMost(WAIT).until(() -> get("ds", "pods", "{.items[*].spec.containers[0].image}")
                .equals("agent:2 agent:2 agent:2"));
        assertThat(Arrays.asList(get("ds", "pods", "{.items[*].metadata.name}").split(" ")))
                .doesNotContainAnyElementsOf(Arrays.asList(firstPods.split(" ")));
        assertThat(nodesOf("ds")).containsExactly("sim-node-0", "sim-node-1", "sim-node-2");
        assertThat(get("ds", "ds/agent", "{.status.desiredNumberScheduled} {.status.updatedNumberScheduled} "
                + "{.status.numberAvailable} {.status.observedGeneration}")).isEqualTo("3 3 3 2");
        assertThat(columns(kubectl("-n", "ds", "rollout", "history", "ds/agent"))).containsExactly("1", "2");
    }

    /** A node like the simulated ones but cordoned, so only daemon pods (which tolerate that) land on it. */
    private static final String EXTRA_NODE = """
            apiVersion: v1
            kind: Node
            metadata:
              name: extra-node
              labels: {kubernetes.io/hostname: extra-node, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
            spec:
              unschedulable: true
            status:
              allocatable: {cpu: "8", memory: 32Gi, pods: "110"}
              capacity: {cpu: "8", memory: 32Gi, pods: "110"}
              conditions:
              - {type: Ready, status: "True", reason: KubeletReady, message: ready}
            """;

    @Test
    @Order(3)
    void aNodeAddedLaterGetsItsDaemonPod() throws Exception {
        kubectl("create", "namespace", "ds-late");
        kubectl("-n", "ds-late", "apply", "-f", write("agent-late.yaml", AGENT));
        kubectl("-n", "ds-late", "rollout", "status", "ds/agent", "--timeout=60s");

        kubectl("apply", "-f", write("extra-node.yaml", EXTRA_NODE));

        await().atMost(WAIT).until(() -> nodesOf("ds-late").contains("extra-node"));
        assertThat(nodesOf("ds-late")).containsExactly("extra-node", "sim-node-0", "sim-node-1", "sim-node-2");
        assertThat(get("ds-late", "ds/agent", "{.status.desiredNumberScheduled} {.status.currentNumberScheduled}"))
                .isEqualTo("4 4");
        kubectl("delete", "node", "extra-node");
    }

    /** The REVISION column of kubectl rollout history. */
    private static List<String> columns(String history) {
        return history.lines().skip(2).map(String::trim).filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")[0]).toList();
    }

    /** The nodes the namespace's pods are bound to, sorted. */
    private static List<String> nodesOf(String namespace) throws Exception {
        return Arrays.stream(get(namespace, "pods", "{.items[*].spec.nodeName}").split(" "))
                .filter(name -> !name.isBlank()).sorted().toList();
    }

    private static String write(String name, String manifest) throws Exception {
        Path file = CLUSTER.dir().resolve(name);
        java.nio.file.Files.writeString(file, manifest);
        return file.toString();
    }
}
