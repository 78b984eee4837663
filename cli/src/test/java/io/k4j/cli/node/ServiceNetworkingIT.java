package io.k4j.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.k4j.cli.RunningServer;
import io.k4j.kubelet.testing.LocalRegistry;
import io.k4j.kubelet.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Services for real: {@code k4j server} with its node, service proxy, cluster DNS and ingress controller runs inside
 * a network namespace the test made, with an address on its loopback as the node's, and an upstream DNS server of the
 * test's own on the namespace's loopback. Pods are busybox (whose nslookup has a resolver of its own); everything is
 * driven through the real kubectl, curl and the pods' own tools.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceNetworkingIT {

    @RegisterExtension
    static final NodeNamespace NODE = NodeNamespace.create();

    static final String NODE_IP = "192.168.77.1";
    static final Duration START = Duration.ofSeconds(90);
    static RunningServer server;
    static String image;

    @BeforeAll
    static void startNode() throws Exception {
        TestImages.assumeAvailable();
        LocalRegistry.assumeAvailable();
        NODE.run("ip", "addr", "add", NODE_IP + "/32", "dev", "lo");
        LocalRegistry registry = LocalRegistry.builder().workDir(NODE.dir().resolve("registry"))
                .networkNamespace(NODE.name()).start();
        NODE.onClose(registry);
        image = registry.push(TestImages.busybox().file("/www/index.html", "unused\n")
                .build(NODE.dir().resolve("images")), "k4j/busybox:1").reference();
        Process upstream = NODE.start(NODE.dir().resolve("upstream-dns.log"), javaCommand(
                UpstreamDnsServer.class.getName(), "127.0.0.1", "53", "outside.example=192.0.2.10"));
        NODE.onClose(upstream::destroy);
        Path resolvConf = Files.writeString(NODE.dir().resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        server = NODE.startServer("k4j server: ingress controller", "--node-name", NODE.name(),
                "--node-ip", NODE_IP, "--runtime", "runc", "--cgroup-root", "/" + NODE.name(),
                "--resolv-conf", resolvConf.toString());
        await().atMost(START).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(server.kubectl("get", "node", NODE.name(), "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").assertOk().out()).isEqualTo("True"));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (server != null && server.isAlive()) {
            server.kubectl("delete", "deployments,statefulsets,pods", "--all", "--wait=true", "--timeout=90s");
            server.close();
        }
        PodsIT.RuntimeLeftovers.sweep(NODE.dir().resolve("server/agent"), Path.of("/run/netns", NODE.name()));
    }

    @Test
    @Order(1)
    void aServiceIsReachedByNameAndSpreadsOverItsPods() throws Exception {
        server.kubectl("create", "deployment", "web", "--image=" + image, "--replicas=2", "--",
                "sh", "-c", "hostname > /www/index.html && exec httpd -f -p 8080 -h /www").assertOk();
        server.kubectl("expose", "deployment", "web", "--port=80", "--target-port=8080").assertOk();
        server.kubectl("run", "client", "--image=" + image, "--", "sleep", "3600").assertOk();
        server.kubectl("rollout", "status", "deployment/web", "--timeout=90s").assertOk();
        server.kubectl("wait", "--for=condition=Ready", "pod/client", "--timeout=90s").assertOk();
        String clusterIp = server.kubectl("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").assertOk().out();
        assertThat(clusterIp).startsWith("10.43.");

        assertThat(lookup("web.default.svc.cluster.local")).contains(clusterIp);
        // busybox's nslookup tries every search domain and exits 1 when any of them is unknown
        assertThat(server.kubectl("exec", "client", "--", "nslookup", "web").out()).as("the pod's search path")
                .contains("Name:\tweb.default.svc.cluster.local\nAddress: " + clusterIp);
        Set<String> pods = new HashSet<>(List.of(server.kubectl("get", "pods", "-l", "app=web", "-o",
                "jsonpath={.items[*].metadata.name}").assertOk().out().split(" ")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(answeringPods(clusterIp, 20))
                .isEqualTo(pods));
    }

    @Test
    @Order(2)
    void aNodePortAnswersOnTheNodesAddressAndLoopback() throws Exception {
        server.kubectl("expose", "deployment", "web", "--name=web-np", "--type=NodePort", "--port=80",
                "--target-port=8080").assertOk();
        String nodePort = server.kubectl("get", "service", "web-np", "-o",
                "jsonpath={.spec.ports[0].nodePort}").assertOk().out();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            assertThat(NODE.run("curl", "-sf", "--max-time", "3", "http://" + NODE_IP + ":" + nodePort + "/"))
                    .startsWith("web-");
            assertThat(NODE.run("curl", "-sf", "--max-time", "3", "http://127.0.0.1:" + nodePort + "/"))
                    .startsWith("web-");
        });
    }

    @Test
    @Order(3)
    void headlessServicesAndStatefulSetPodsResolveToPodAddresses() throws Exception {
        server.kubectlApply("""
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec:
                  clusterIP: None
                  selector: {app: db}
                  ports: [{name: http, port: 8080}]
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  replicas: 2
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: db
                        image: %s
                        command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
                """.formatted(image)).assertOk();
        server.kubectl("rollout", "status", "statefulset/db", "--timeout=90s").assertOk();
        String first = server.kubectl("get", "pod", "db-0", "-o", "jsonpath={.status.podIP}").assertOk().out();
        String second = server.kubectl("get", "pod", "db-1", "-o", "jsonpath={.status.podIP}").assertOk().out();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(lookup("db.default.svc.cluster.local")).contains(first, second);
            assertThat(lookup("db-0.db.default.svc.cluster.local")).contains(first).doesNotContain(second);
        });
    }

    @Test
    @Order(4)
    void namesOutsideTheClusterAreForwardedToTheNodesResolver() throws Exception {
        assertThat(lookup("outside.example")).contains("192.0.2.10");
        assertThat(server.kubectl("exec", "client", "--", "nslookup", "nowhere.example").out()).contains("NXDOMAIN");
    }

    @Test
    @Order(5)
    void aRemovedPodLeavesTheRotationWithinTwoSeconds() throws Exception {
        String clusterIp = server.kubectl("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").assertOk().out();
        String leaving = server.kubectl("get", "pods", "-l", "app=web", "-o",
                "jsonpath={.items[0].metadata.name}").assertOk().out();
        server.kubectl("delete", "pod", leaving, "--wait=false").assertOk();
        long deleted = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(answeringPods(clusterIp, 10)).doesNotContain(leaving));
        System.out.printf("pod %s left the rotation %d ms after its deletion%n", leaving,
                (System.nanoTime() - deleted) / 1_000_000);
    }

    @Test
    @Order(6)
    void anIngressRoutesHostsAndPathsAndServesTlsFromASecret() throws Exception {
        server.kubectl("create", "deployment", "other", "--image=" + image, "--", "sh", "-c",
                "echo other > /www/index.html && mkdir /www/two && echo two > /www/two/index.html"
                        + " && exec httpd -f -p 8080 -h /www").assertOk();
        server.kubectl("expose", "deployment", "other", "--port=80", "--target-port=8080").assertOk();
        server.kubectl("rollout", "status", "deployment/other", "--timeout=90s").assertOk();
        Path tls = Files.createDirectories(NODE.dir().resolve("tls"));
        NODE.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=a.example",
                "-addext", "subjectAltName=DNS:a.example", "-keyout", tls.resolve("a.key").toString(),
                "-out", tls.resolve("a.crt").toString());
        server.kubectl("create", "secret", "tls", "a-tls", "--cert=" + tls.resolve("a.crt"),
                "--key=" + tls.resolve("a.key")).assertOk();
        server.kubectlApply("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: sites}
                spec:
                  tls: [{hosts: [a.example], secretName: a-tls}]
                  rules:
                  - host: a.example
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                      - {path: /two, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}
                  - host: b.example
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}
                """).assertOk();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(curl("-H", "Host: a.example", "http://" + NODE_IP + "/")).startsWith("web-");
            assertThat(curl("-H", "Host: a.example", "http://" + NODE_IP + "/two/")).isEqualTo("two\n");
            assertThat(curl("-H", "Host: b.example", "http://" + NODE_IP + "/")).isEqualTo("other\n");
            assertThat(curl("--resolve", "a.example:443:" + NODE_IP, "--cacert", tls.resolve("a.crt").toString(),
                    "https://a.example/two/")).isEqualTo("two\n");
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.kubectl("get", "ingress",
                "sites", "-o", "jsonpath={.status.loadBalancer.ingress[*].ip}").assertOk().out()).isEqualTo(NODE_IP));
    }

    @Test
    @Order(7)
    void theProxysCleanupLeavesNoChainsOfItsOwn() throws Exception {
        assertThat(NODE.run("iptables-save", "-t", "nat")).contains(":KUBE-SERVICES");
        server.kubectl("delete", "deployments,statefulsets,pods", "--all", "--wait=true", "--timeout=90s");
        server.close();
        RunningServer.Result cleanup = RunningServer.runIn(NODE.launch(), List.of("proxy", "--cleanup"));
        assertThat(cleanup.exitCode()).as(cleanup.out()).isZero();
        assertThat(NODE.run("iptables-save")).doesNotContain("KUBE-");
    }

    // ---- helpers

    /** What the pod "client" resolves the name to (busybox's nslookup, through the pod's resolv.conf). */
    private static String lookup(String name) throws Exception {
        return server.kubectl("exec", "client", "--", "nslookup", name).assertOk().out();
    }

    /**
     * The pods (by the hostname each serves) that answered {@code requests} requests to port 80 of the address from
     * "client". The port is explicit and there is no -T: without a port busybox's static wget looks the service "http"
     * up through NSS, and -T makes it crash too, in an image without glibc's shared libraries.
     */
    private static Set<String> answeringPods(String address, int requests) throws Exception {
        String out = server.kubectl("exec", "client", "--", "sh", "-c", "for i in $(seq " + requests
                + "); do wget -qO- http://" + address + ":80/; done").assertOk().out();
        return new HashSet<>(out.lines().map(String::strip).filter(line -> !line.isEmpty()).toList());
    }

    private static String curl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sf", "--max-time", "5"));
        command.addAll(List.of(args));
        return NODE.run(command.toArray(String[]::new));
    }

    private static String[] javaCommand(String mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }
}
