package io.k4j.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.k4j.cli.RunningServer;
import io.k4j.kubelet.network.CniNetwork;
import io.k4j.kubelet.runtime.RuntimeCleanup;
import io.k4j.kubelet.runtime.oci.OciRuntime;
import io.k4j.kubelet.testing.LocalRegistry;
import io.k4j.kubelet.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real pods in real containers: {@code k4j server} runs this machine's node with runc inside a network namespace
 * the test made, pulling busybox-based images the test built from a registry on that namespace's loopback; everything
 * is driven through the real kubectl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodsIT {

    @RegisterExtension
    static final NodeNamespace NODE = NodeNamespace.create();

    static final Duration START = Duration.ofSeconds(60);
    static RunningServer server;
    static String nodeName;
    static String image;
    static LocalRegistry registry;

    @BeforeAll
    static void startNode() throws Exception {
        TestImages.assumeAvailable();
        LocalRegistry.assumeAvailable();
        registry = LocalRegistry.builder().workDir(NODE.dir().resolve("registry")).networkNamespace(NODE.name()).start();
        NODE.onClose(registry);
        TestImages.OciImage busybox = TestImages.busybox().file("/www/index.html", "hello from k4j\n")
                .build(NODE.dir().resolve("images"));
        image = registry.push(busybox, "k4j/busybox:1").reference();
        nodeName = NODE.name();
        server = startServer();
        awaitNodeReady();
    }

    static RunningServer startServer() throws IOException {
        return NODE.startServer("k4j server: node " + nodeName + " registered", "--node-name", nodeName,
                "--runtime", "runc", "--cgroup-root", "/" + NODE.name());
    }

    static void awaitNodeReady() throws Exception {
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(server.kubectl("get", "node", nodeName, "-o",
                            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").assertOk().out())
                            .isEqualTo("True"));
        } catch (RuntimeException | AssertionError e) {
            System.err.println("node " + nodeName + " never became Ready: "
                    + server.kubectl("get", "node", nodeName, "-o", "yaml").out() + "\nserver log:\n" + server.log());
            throw e;
        }
    }

    /** Deletes every pod the tests made (the kubelet stops their containers), then removes what could be left. */
    @AfterAll
    static void removePods() throws Exception {
        if (server != null && server.isAlive()) {
            server.kubectl("delete", "pods,deployments", "--all", "-A", "--wait=true", "--timeout=60s");
            server.close();
        }
        RuntimeLeftovers.sweep(NODE.dir().resolve("server/agent"), Path.of("/run/netns", NODE.name()));
    }

    @Test
    @Order(1)
    void aPodServingHttpIsReachableFromAnotherPodAndExecReportsExitCodes() throws Exception {
        apply(pod("web", "[\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]", ""));
        apply(pod("client", "[\"sleep\", \"3600\"]", ""));
        String webIp = awaitRunning("web").getStatus().getPodIP();
        awaitRunning("client");
        assertThat(webIp).startsWith("10.42.");

        assertThat(server.kubectl("exec", "client", "--", "wget", "-qO-", "http://" + webIp + ":8080/")
                .assertOk().out()).contains("hello from k4j");
        RunningServer.Result failing = server.kubectl("exec", "web", "--", "sh", "-c", "exit 7");
        assertThat(failing.exitCode()).isEqualTo(7);
        assertThat(server.kubectlWithInput("from stdin\n", "exec", "-i", "client", "--", "cat").assertOk().out())
                .contains("from stdin");
    }

    @Test
    @Order(2)
    void logsFollowAContainerToItsEnd() throws Exception {
        apply(pod("counter", "[\"sh\", \"-c\", \"for i in 1 2 3; do echo line $i; sleep 1; done\"]",
                "  restartPolicy: Never\n"));
        awaitPhase("counter", "Running", "Succeeded");
        String followed = server.kubectl("logs", "-f", "counter").assertOk().out();
        assertThat(followed).contains("line 1", "line 2", "line 3");
        awaitPhase("counter", "Succeeded");
        assertThat(server.kubectl("logs", "counter", "--tail=1").assertOk().out().strip()).isEqualTo("line 3");
        assertThat(server.kubectl("logs", "counter", "--timestamps").assertOk().out())
                .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z line 1");
    }

    @Test
    @Order(3)
    void attachAndPortForwardReachTheContainer() throws Exception {
        // stdinOnce: when attach's stdin ends, the container's does too, so the loop and the attach end.
        apply(pod("echo", "[\"sh\", \"-c\", \"while read line; do echo got $line; done\"]",
                "  restartPolicy: Never\n", "    stdin: true\n    stdinOnce: true\n"));
        apply(pod("web2", "[\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]", ""));
        awaitRunning("echo");
        awaitRunning("web2");
        assertThat(server.kubectlWithInput("hello\n", "attach", "-i", "echo").out()).contains("got hello");

        Path log = NODE.dir().resolve("port-forward.log");
        Process forward = NODE.start(log, "kubectl", "--kubeconfig", server.kubeconfig().toString(), "port-forward",
                "pod/web2", "18080:8080");
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                    assertThat(NODE.run("busybox", "wget", "-qO-", "http://127.0.0.1:18080/")).contains("hello from k4j"));
        } finally {
            forward.destroy();
            forward.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(4)
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        apply(pod("unhealthy", "[\"sh\", \"-c\", \"touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 3600\"]", "",
                """
                    livenessProbe:
                      exec: {command: ["cat", "/tmp/healthy"]}
                      periodSeconds: 1
                      failureThreshold: 1
                """));
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(container(get("unhealthy")).getRestartCount()).isGreaterThanOrEqualTo(1));
        assertThat(server.kubectl("get", "events", "--field-selector", "involvedObject.name=unhealthy").assertOk()
                .out()).contains("Unhealthy", "Liveness probe failed");
    }

    @Test
    @Order(5)
    void readinessGatesTheEndpoints() throws Exception {
        apply(pod("gated", "[\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]", "", """
                    readinessProbe:
                      httpGet: {path: /ready.html, port: 8080}
                      periodSeconds: 1
                """, "    app: gated\n"));
        apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: gated}
                spec:
                  selector: {app: gated}
                  ports: [{port: 80, targetPort: 8080}]
                """);
        String ip = awaitRunning("gated").getStatus().getPodIP();
        await().atMost(START).untilAsserted(() -> assertThat(server.kubectl("get", "endpoints", "gated", "-o",
                "jsonpath={.subsets[*].notReadyAddresses[*].ip}").assertOk().out()).isEqualTo(ip));
        server.kubectl("exec", "gated", "--", "sh", "-c", "echo ok > /www/ready.html").assertOk();
        await().atMost(START).untilAsserted(() -> assertThat(server.kubectl("get", "endpoints", "gated", "-o",
                "jsonpath={.subsets[*].addresses[*].ip}").assertOk().out()).isEqualTo(ip));

        // A container started after the Service exists gets its variables (the kubelet's service informer), and the
        // default namespace's kubernetes Service's.
        apply(pod("service-env", "[\"sleep\", \"3600\"]", ""));
        awaitRunning("service-env");
        String clusterIp = server.kubectl("get", "service", "gated", "-o", "jsonpath={.spec.clusterIP}").assertOk()
                .out().strip();
        assertThat(server.kubectl("exec", "service-env", "--", "sh", "-c",
                "echo $GATED_SERVICE_HOST; echo $GATED_SERVICE_PORT; echo $KUBERNETES_SERVICE_HOST").assertOk().out()
                .lines().toList())
                .containsExactly(clusterIp, "80", server.kubectl("get", "service", "kubernetes", "-n", "default", "-o",
                        "jsonpath={.spec.clusterIP}").assertOk().out().strip());
    }

    @Test
    @Order(6)
    void aMemoryHogIsOomKilled() throws Exception {
        apply(pod("hog", "[\"sh\", \"-c\", \"tail /dev/zero\"]", "  restartPolicy: Never\n", """
                    resources:
                      limits: {memory: 16Mi}
                """));
        Pod pod = awaitPhase("hog", "Failed");
        assertThat(container(pod).getState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(container(pod).getState().getTerminated().getExitCode()).isEqualTo(137);
    }

    @Test
    @Order(7)
    void initContainersRunFirstAndConfigMapUpdatesReachMountedFiles() throws Exception {
        server.kubectl("create", "configmap", "settings", "--from-literal=color=blue").assertOk();
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: configured}
                spec:
                  initContainers:
                  - name: prepare
                    image: %1$s
                    command: ["sh", "-c", "echo prepared > /work/init.txt"]
                    volumeMounts: [{name: work, mountPath: /work}]
                  containers:
                  - name: app
                    image: %1$s
                    command: ["sleep", "3600"]
                    volumeMounts:
                    - {name: work, mountPath: /work}
                    - {name: settings, mountPath: /etc/settings}
                  volumes:
                  - {name: work, emptyDir: {}}
                  - {name: settings, configMap: {name: settings}}
                """.formatted(image));
        awaitRunning("configured");
        assertThat(server.kubectl("exec", "configured", "-c", "app", "--", "cat", "/work/init.txt").assertOk().out())
                .isEqualTo("prepared\n");
        assertThat(server.kubectl("exec", "configured", "-c", "app", "--", "cat", "/etc/settings/color").assertOk().out())
                .isEqualTo("blue");
        server.kubectl("patch", "configmap", "settings", "-p", "{\"data\":{\"color\":\"green\"}}").assertOk();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(server.kubectl("exec", "configured", "-c", "app", "--", "cat", "/etc/settings/color").assertOk().out())
                        .isEqualTo("green"));
    }

    @Test
    @Order(8)
    void aDeploymentRunsForReal() throws Exception {
        server.kubectl("create", "deployment", "site", "--image=" + image, "--replicas=2", "--",
                "httpd", "-f", "-p", "8080", "-h", "/www").assertOk();
        server.kubectl("rollout", "status", "deployment/site", "--timeout=90s").assertOk();
        assertThat(server.kubectl("get", "pods", "-l", "app=site", "-o",
                "jsonpath={.items[*].status.phase}").assertOk().out()).isEqualTo("Running Running");
    }

    @Test
    @Order(9)
    void restartingTheServerKeepsContainersRunningAndTheirLogs() throws Exception {
        apply(pod("survivor", "[\"sh\", \"-c\", \"echo started; sleep 3600\"]", ""));
        Pod before = awaitRunning("survivor");
        String containerId = container(before).getContainerID();
        server.close();
        server = startServer();
        awaitNodeReady();
        try {
            await().atMost(START).untilAsserted(() -> {
                ContainerStatus now = container(get("survivor"));
                assertThat(now.getContainerID()).isEqualTo(containerId);
                assertThat(now.getRestartCount()).isZero();
                assertThat(now.getState().getRunning()).isNotNull();
            });
        } catch (AssertionError | RuntimeException e) {
            System.err.println("survivor's events: " + server.kubectl("get", "events", "--field-selector",
                    "involvedObject.name=survivor").out());
            System.err.println("server log: " + server.log().lines().filter(line -> line.contains("WARN")
                    || line.contains("survivor") || line.contains("Kubelet") || line.contains("PodWorkers")
                    || line.contains("PodSyncer")).toList());
            throw e;
        }
        assertThat(server.kubectl("logs", "survivor").assertOk().out()).contains("started");
    }

    @Test
    @Order(10)
    void createAndDeleteCyclesLeaveNothingBehind() throws Exception {
        Path agentDir = NODE.dir().resolve("server/agent");
        List<String> uids = new java.util.ArrayList<>();
        for (int wave = 0; wave < 10; wave++) {
            StringBuilder pods = new StringBuilder();
            for (int index = 0; index < 10; index++) {
                pods.append(pod("cycle-" + wave + "-" + index, "[\"sleep\", \"3600\"]", "")).append("---\n");
            }
            apply(pods.toString());
            server.kubectl("wait", "--for=condition=Ready", "pod", "-l", "cycle=yes", "--timeout=60s").assertOk();
            uids.addAll(List.of(server.kubectl("get", "pods", "-l", "cycle=yes", "-o",
                    "jsonpath={.items[*].metadata.uid}").assertOk().out().split(" ")));
            server.kubectl("delete", "pod", "-l", "cycle=yes", "--grace-period=1", "--wait=true").assertOk();
        }
        assertThat(uids).hasSize(100);
        // Other tests' pods keep running (one crash-loops), so the node is checked for traces of these pods, and for
        // any network namespace, mount or address that no sandbox or container on record accounts for.
        await().atMost(START).ignoreExceptions().untilAsserted(() -> {
            Leftovers.Node node = Leftovers.Node.read(agentDir, NODE.name());
            assertThat(node.records()).noneMatch(record -> uids.stream().anyMatch(record::contains));
            assertThat(node.cgroups()).noneMatch(cgroup -> uids.stream().anyMatch(cgroup::contains));
            assertThat(node.mounts()).noneMatch(mount -> uids.stream().anyMatch(mount::contains));
            assertThat(node.unaccountedNetns()).isEmpty();
            assertThat(node.unaccountedMounts()).isEmpty();
            assertThat(node.unaccountedAddresses()).isEmpty();
        });
    }

    // ---- helpers

    private static String pod(String name, String command, String specExtra) {
        return pod(name, command, specExtra, "");
    }

    private static String pod(String name, String command, String specExtra, String containerExtra) {
        return pod(name, command, specExtra, containerExtra, name.startsWith("cycle-") ? "    cycle: \"yes\"\n" : "");
    }

    private static String pod(String name, String command, String specExtra, String containerExtra, String labels) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  labels:
                    k4j-test: pods
                %s
                spec:
                  terminationGracePeriodSeconds: 2
                %s
                  containers:
                  - name: main
                    image: %s
                    command: %s
                %s
                """.formatted(name, labels.stripTrailing(), specExtra.stripTrailing(), image, command,
                containerExtra.stripTrailing());
    }

    private static void apply(String manifest) throws Exception {
        server.kubectlApply(manifest).assertOk();
    }

    private static Pod get(String name) throws Exception {
        return Serialization.unmarshal(server.kubectl("get", "pod", name, "-o", "json").assertOk().out(), Pod.class);
    }

    private static ContainerStatus container(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0);
    }

    private static Pod awaitRunning(String name) throws Exception {
        return awaitPhase(name, "Running");
    }

    private static Pod awaitPhase(String name, String... phases) throws Exception {
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                    assertThat(get(name).getStatus().getPhase()).isIn((Object[]) phases));
        } catch (RuntimeException | AssertionError e) {
            System.err.println("pod " + name + " never reached " + List.of(phases) + ": "
                    + server.kubectl("get", "pod", name, "-o", "yaml").out()
                    + server.kubectl("get", "events", "--field-selector", "involvedObject.name=" + name).out()
                    + server.log().lines().filter(line -> line.contains("WARN") || line.contains(name)).toList());
            throw e;
        }
        try {
            return get(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What pods leave on the node if cleaned up badly: network namespaces, mounts, cgroups, IP allocations. */
    static final class Leftovers {
        /**
         * One look at the node: the runtime's records (sandbox.json, container.json contents), the cgroups under the
         * node's cgroup root, the mounts under its agent dir, network namespaces, and host-local's allocations.
         */
        record Node(List<String> records, List<String> cgroups, List<String> mounts, List<String> netns,
                List<String> addresses) {

            static Node read(Path agentDir, String cgroupRoot) throws IOException {
                List<String> records = new java.util.ArrayList<>();
                try (Stream<Path> files = Files.walk(agentDir.resolve("containers"))) {
                    for (Path file : files.filter(f -> f.getFileName().toString().matches("(sandbox|container)\\.json"))
                            .toList()) {
                        records.add(file.getParent().getFileName() + " " + Files.readString(file));
                    }
                }
                List<String> cgroups = new java.util.ArrayList<>();
                try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
                    for (Path root : hierarchies.map(h -> h.resolve(cgroupRoot)).filter(Files::isDirectory).toList()) {
                        try (Stream<Path> dirs = Files.walk(root)) {
                            dirs.filter(Files::isDirectory).forEach(dir -> cgroups.add(dir.toString()));
                        }
                    }
                }
                List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                        .map(line -> line.split(" ")[4]).filter(mount -> mount.startsWith(agentDir.toString())).toList();
                List<String> netns;
                try (Stream<Path> files = Files.list(Path.of("/run/netns"))) {
                    netns = files.map(file -> file.getFileName().toString())
                            .filter(name -> name.matches("k4j-[0-9a-f]{16}")).toList();
                }
                List<String> addresses = new java.util.ArrayList<>();
                if (Files.isDirectory(agentDir.resolve("cni"))) {
                    try (Stream<Path> files = Files.walk(agentDir.resolve("cni"))) {
                        files.map(file -> file.getFileName().toString())
                                .filter(name -> name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).forEach(addresses::add);
                    }
                }
                return new Node(records, cgroups, mounts, netns, addresses);
            }

            List<String> unaccountedNetns() {
                return netns.stream().filter(name -> records.stream().noneMatch(r -> r.contains("/run/netns/" + name)))
                        .toList();
            }

            /** Mounts under a container's directory, or a pod's volumes, with no record of that container or pod. */
            List<String> unaccountedMounts() {
                return mounts.stream().filter(mount -> {
                    int pods = mount.indexOf("/pods/");
                    String owner = pods >= 0 ? mount.substring(pods + 6).split("/")[0] : null;
                    return records.stream().noneMatch(record -> owner != null ? record.contains(owner)
                            : mount.contains(record.substring(0, record.indexOf(' '))));
                }).toList();
            }

            List<String> unaccountedAddresses() {
                return addresses.stream().filter(ip -> records.stream().noneMatch(r -> r.contains("\"" + ip + "\"")))
                        .toList();
            }
        }
    }

    /** Removes whatever a failed test left in the node's runtime (containers, sandboxes, mounts, netns). */
    static final class RuntimeLeftovers {
        static void sweep(Path agentDir, Path nodeNetns) throws Exception {
            if (!Files.isDirectory(agentDir.resolve("containers"))) {
                return;
            }
            try (OciRuntime runtime = OciRuntime.builder().stateDir(agentDir.resolve("containers"))
                    .network(CniNetwork.builder().ipamDataDir(agentDir.resolve("cni")).nodeNetns(nodeNetns).build())
                    .build()) {
                assertThat(RuntimeCleanup.removeAll(runtime)).isEmpty();
            }
        }
    }
}
