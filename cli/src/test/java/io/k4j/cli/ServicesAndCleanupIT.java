package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The endpoints, endpointslice, namespace and garbagecollector controllers inside {@code k4j server}, driven through
 * kubectl against three simulated nodes (zones zone-0..2). Each test uses its own namespace.
 */
class ServicesAndCleanupIT {

    @RegisterExtension
    static final ServerPerClass CLUSTER = ServerPerClass.withSimulatedNodes(3, "--simulated-node-zones", "3");

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static void apply(String manifest) throws Exception {
        CLUSTER.server().kubectlApply(manifest).assertOk();
    }

    private static String kubectl(String... args) throws Exception {
        return CLUSTER.server().kubectl(args).assertOk().out().trim();
    }

    private static boolean gone(String namespace, String object) throws Exception {
        RunningServer.Result result = CLUSTER.server().kubectl("get", object, "-n", namespace);
        return result.exitCode() != 0 && result.out().contains("NotFound");
    }

    /** A pod labelled app=web serving port "web" (8080); {@code extra} continues its metadata. */
    private static String webPod(String namespace, String name, String extra) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app: web}
                %s
                spec:
                  containers:
                  - name: app
                    image: registry.k8s.io/pause:3.10
                    ports: [{name: web, containerPort: 8080}]
                """.formatted(name, namespace, extra.indent(2).stripTrailing());
    }

    @Test
    void aServiceGetsEndpointsAndSlicesFromItsPodsReadinessIncluded() throws Exception {
        String ns = "svc";
        kubectl("create", "namespace", ns);
        apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: svc}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: web}]
                """);
        apply(webPod(ns, "a", ""));
        apply(webPod(ns, "b", ""));
        await().atMost(WAIT).until(() -> kubectl("get", "endpoints", "web", "-n", ns,
                "-o", "jsonpath={.subsets[*].addresses[*].ip}").split(" ").length == 2);
        String ips = kubectl("get", "pods", "-n", ns, "-o", "jsonpath={.items[*].status.podIP}");
        String endpoints = kubectl("get", "endpoints", "web", "-n", ns);
        for (String ip : ips.split(" ")) {
            assertThat(endpoints).contains(ip + ":8080");
        }
        assertThat(kubectl("get", "endpoints", "web", "-n", ns, "-o", "jsonpath={.subsets[0].ports[0].name}"))
                .isEqualTo("http");
        await().atMost(WAIT).until(() -> kubectl("get", "endpointslices", "-n", ns, "-l",
                "kubernetes.io/service-name=web", "-o", "jsonpath={.items[*].endpoints[*].addresses[0]}")
                .split(" ").length == 2);
        String slices = kubectl("get", "endpointslices", "-n", ns);
        assertThat(slices).contains("web-", "IPv4", "8080");
        assertThat(kubectl("get", "endpointslices", "-n", ns, "-o", "jsonpath={.items[0].metadata.labels}"))
                .contains("\"endpointslice.kubernetes.io/managed-by\":\"endpointslice-controller.k8s.io\"");
        assertThat(kubectl("get", "endpointslices", "-n", ns, "-o", "jsonpath={.items[0].endpoints[*].zone}"))
                .contains("zone-");

        // A crash-looping pod keeps its IP but is not ready: a not-ready address, and ready=false in its slice.
        apply(webPod(ns, "crashing", """
                annotations: {simulation.k4j.io/exit-after: "1s", simulation.k4j.io/exit-code: "1"}"""));
        await().atMost(WAIT).until(() -> {
            String ip = kubectl("get", "pod", "crashing", "-n", ns, "-o", "jsonpath={.status.podIP}");
            return !ip.isEmpty() && kubectl("get", "endpoints", "web", "-n", ns,
                    "-o", "jsonpath={.subsets[*].notReadyAddresses[*].ip}").contains(ip);
        });
        await().atMost(WAIT).until(() -> kubectl("get", "endpointslices", "-n", ns, "-o",
                "jsonpath={.items[*].endpoints[?(@.targetRef.name==\"crashing\")].conditions.ready}").equals("false"));

        kubectl("delete", "service", "web", "-n", ns);
        await().atMost(WAIT).until(() -> gone(ns, "endpoints/web")
                && kubectl("get", "endpointslices", "-n", ns, "-o", "name").isEmpty());
    }

    @Test
    void deletingANamespaceRemovesEverythingThenTheNamespace() throws Exception {
        String ns = "doomed";
        kubectl("create", "namespace", ns);
        kubectl("create", "configmap", "c", "-n", ns, "--from-literal=a=b");
        kubectl("create", "secret", "generic", "s", "-n", ns, "--from-literal=a=b");
        apply(webPod(ns, "p", ""));
        kubectl("create", "deployment", "d", "-n", ns, "--image=registry.k8s.io/pause:3.10", "--replicas=2");
        await().atMost(WAIT).until(() -> kubectl("get", "pod", "p", "-n", ns, "-o", "jsonpath={.status.phase}")
                .equals("Running"));
        await().atMost(WAIT).until(() -> kubectl("get", "deployment", "d", "-n", ns, "-o",
                "jsonpath={.status.availableReplicas}").equals("2"));

        kubectl("delete", "namespace", ns, "--timeout=60s");

        await().atMost(WAIT).until(() -> {
            RunningServer.Result result = CLUSTER.server().kubectl("get", "namespace", ns);
            return result.exitCode() != 0 && result.out().contains("NotFound");
        });
    }

    @Test
    void deletingAnOwnerCollectsItsDependentsInEachPropagationMode() throws Exception {
        String ns = "gc";
        kubectl("create", "namespace", ns);
        for (String mode : new String[] {"background", "foreground", "orphan"}) {
            kubectl("create", "configmap", mode, "-n", ns);
            String uid = kubectl("get", "configmap", mode, "-n", ns, "-o", "jsonpath={.metadata.uid}");
            String owner = "ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: %s, uid: %s, blockOwnerDeletion: true}]"
                    .formatted(mode, uid);
            apply("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: %s-child, namespace: gc, %s}
                    """.formatted(mode, owner));
            apply(webPod(ns, mode + "-pod", owner));
        }

        kubectl("delete", "configmap", "background", "-n", ns);
        await().atMost(WAIT).until(() -> gone(ns, "configmap/background-child") && gone(ns, "pod/background-pod"));

        // kubectl waits for the owner, which goes only after its dependents.
        kubectl("delete", "configmap", "foreground", "-n", ns, "--cascade=foreground", "--timeout=60s");
        assertThat(gone(ns, "configmap/foreground-child")).isTrue();
        assertThat(gone(ns, "pod/foreground-pod")).isTrue();

        kubectl("delete", "configmap", "orphan", "-n", ns, "--cascade=orphan", "--timeout=60s");
        assertThat(gone(ns, "configmap/orphan")).isTrue();
        assertThat(kubectl("get", "configmap", "orphan-child", "-n", ns, "-o", "jsonpath={.metadata.ownerReferences}"))
                .isEmpty();
        assertThat(kubectl("get", "pod", "orphan-pod", "-n", ns, "-o", "jsonpath={.metadata.ownerReferences}"))
                .isEmpty();
    }
}
