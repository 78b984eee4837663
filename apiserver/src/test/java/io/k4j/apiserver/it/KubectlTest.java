package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The real kubectl (v1.32, on PATH) against a real k4j API server: everyday commands, as users type them. */
class KubectlTest extends KubectlClusterTest {

    @Override
    protected String namespacePrefix() {
        return "t";
    }

    private TestCluster.Result kubectl(String... args) throws Exception {
        return cluster.kubectl(args);
    }

    private void apply(String json) throws Exception {
        cluster.kubectlWithInput(json, "create", "-f", "-").assertOk();
    }

    private static String pod(String name, String labels) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{%s}},
                 "spec":{"containers":[{"name":"app","image":"busybox:1.36","command":["sleep","3600"]}]}}
                """.formatted(name, labels);
    }

    private void createPod(String name, String labels) throws Exception {
        cluster.kubectlWithInput(pod(name, labels), "create", "-n", ns, "-f", "-").assertOk();
    }

    @Test
    void versionAndDiscovery() throws Exception {
        assertThat(kubectl("version").assertOk().out()).contains("Server Version: v1.32.0+k4j");
        String resources = kubectl("api-resources").assertOk().out();
        assertThat(resources).containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod")
                .containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")
                .containsPattern("horizontalpodautoscalers\\s+hpa\\s+autoscaling/v2");
        assertThat(kubectl("api-versions").assertOk().out()).contains("apps/v1", "batch/v1", "v1",
                "rbac.authorization.k8s.io/v1");
        assertThat(kubectl("get", "--raw", "/version").assertOk().out()).contains("\"minor\":\"32\"");
        assertThat(kubectl("cluster-info").assertOk().out()).contains("Kubernetes control plane is running at "
                + cluster.url());
    }

    @Test
    void theBuiltInNamespacesAndTheKubernetesServiceExist() throws Exception {
        assertThat(kubectl("get", "ns", "-o", "name").assertOk().out()).contains("namespace/default",
                "namespace/kube-system", "namespace/kube-public", "namespace/kube-node-lease");
        assertThat(kubectl("get", "svc", "kubernetes", "-n", "default").assertOk().out())
                .containsPattern("kubernetes\\s+ClusterIP\\s+10\\.43\\.0\\.1\\s+<none>\\s+443/TCP");
    }

    @Test
    void getInEveryOutputFormat() throws Exception {
        createPod("web-1", "\"app\":\"web\"");
        assertThat(kubectl("get", "pods", "-n", ns).assertOk().out())
                .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE")
                .containsPattern("web-1\\s+0/1\\s+Pending\\s+0\\s+\\d+s");
        assertThat(kubectl("get", "po", "-n", ns, "-o", "wide").assertOk().out())
                .containsPattern("IP\\s+NODE\\s+NOMINATED NODE\\s+READINESS GATES");
        assertThat(kubectl("get", "po", "web-1", "-n", ns, "-o", "json").assertOk().out())
                .contains("\"kind\": \"Pod\"", "\"uid\"", "\"creationTimestamp\"", "\"resourceVersion\"",
                        "\"restartPolicy\": \"Always\"", "\"phase\": \"Pending\"");
        assertThat(kubectl("get", "po", "web-1", "-n", ns, "-o", "yaml").assertOk().out())
                .contains("kind: Pod", "name: web-1", "schedulerName: default-scheduler");
        assertThat(kubectl("get", "po", "-n", ns, "-o", "name").assertOk().out()).isEqualTo("pod/web-1\n");
        assertThat(kubectl("get", "po", "web-1", "-n", ns, "-o", "jsonpath={.spec.containers[0].image}")
                .assertOk().out()).isEqualTo("busybox:1.36");
        assertThat(kubectl("get", "po", "-n", ns, "-o", "custom-columns=N:.metadata.name,IMG:.spec.containers[0].image")
                .assertOk().out()).containsPattern("web-1\\s+busybox:1.36");
        assertThat(kubectl("get", "po", "-A").assertOk().out()).containsPattern(ns + "\\s+web-1\\s+0/1\\s+Pending");
    }

    @Test
    void labelAndFieldSelectorsLabelsColumnsAndChunks() throws Exception {
        createPod("a", "\"app\":\"web\",\"tier\":\"fe\"");
        createPod("b", "\"app\":\"web\",\"tier\":\"be\"");
        createPod("c", "\"app\":\"db\"");
        assertThat(names(kubectl("get", "po", "-n", ns, "-l", "app=web", "-o", "name"))).containsExactly("pod/a", "pod/b");
        assertThat(names(kubectl("get", "po", "-n", ns, "-l", "app in (web,db),tier!=fe", "-o", "name")))
                .containsExactly("pod/b", "pod/c");
        assertThat(names(kubectl("get", "po", "-n", ns, "-l", "!tier", "-o", "name"))).containsExactly("pod/c");
        assertThat(names(kubectl("get", "po", "-n", ns, "--field-selector", "metadata.name=b", "-o", "name")))
                .containsExactly("pod/b");
        assertThat(names(kubectl("get", "po", "-n", ns, "--field-selector", "status.phase!=Running", "-o", "name")))
                .containsExactly("pod/a", "pod/b", "pod/c");
        assertThat(kubectl("get", "po", "-n", ns, "--field-selector", "spec.nope=1").err())
                .contains("field label not supported: spec.nope");
        assertThat(kubectl("get", "po", "-n", ns, "--show-labels").assertOk().out())
                .containsPattern("a\\s+0/1\\s+Pending\\s+0\\s+\\d+s\\s+app=web,tier=fe");
        assertThat(kubectl("get", "po", "-n", ns, "-L", "tier").assertOk().out())
                .containsPattern("TIER").containsPattern("b\\s+0/1\\s+Pending\\s+0\\s+\\d+s\\s+be");
        assertThat(names(kubectl("get", "po", "-n", ns, "--chunk-size=1", "-o", "name")))
                .containsExactly("pod/a", "pod/b", "pod/c");
    }

    private static List<String> names(TestCluster.Result result) {
        return result.assertOk().out().lines().toList();
    }

    @Test
    void describeShowsThePod() throws Exception {
        createPod("d", "\"app\":\"web\"");
        assertThat(kubectl("describe", "pod", "d", "-n", ns).assertOk().out())
                .contains("Name:", "d", "Namespace:", ns, "Labels:", "app=web", "Status:", "Pending", "busybox:1.36");
    }

    @Test
    void replaceLabelAnnotatePatch() throws Exception {
        createPod("p", "\"app\":\"web\"");
        kubectl("label", "pod", "p", "-n", ns, "tier=fe").assertOk();
        kubectl("annotate", "pod", "p", "-n", ns, "note=hello").assertOk();
        kubectl("patch", "pod", "p", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"labels\":{\"m\":\"1\"}}}").assertOk();
        kubectl("patch", "pod", "p", "-n", ns, "--type=json", "-p",
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/j\",\"value\":\"2\"}]").assertOk();
        assertThat(kubectl("get", "pod", "p", "-n", ns, "-o", "jsonpath={.metadata.labels}").assertOk().out())
                .contains("\"app\":\"web\"", "\"tier\":\"fe\"", "\"m\":\"1\"", "\"j\":\"2\"");
        assertThat(kubectl("get", "pod", "p", "-n", ns, "-o", "jsonpath={.metadata.annotations.note}").out())
                .isEqualTo("hello");
        String replaced = pod("p", "\"app\":\"replaced\"");
        cluster.kubectlWithInput(replaced, "replace", "-n", ns, "-f", "-").assertOk();
        assertThat(kubectl("get", "pod", "p", "-n", ns, "-o", "jsonpath={.metadata.labels}").out())
                .isEqualTo("{\"app\":\"replaced\"}");
        String stale = replaced.replace("\"name\":\"p\"", "\"name\":\"p\",\"resourceVersion\":\"1\"");
        assertThat(cluster.kubectlWithInput(stale, "replace", "-n", ns, "-f", "-").err())
                .contains("Error from server (Conflict)", "the object has been modified");
    }

    @Test
    void scaleADeploymentThroughItsScaleSubresource() throws Exception {
        apply("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"%s"},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"n","image":"nginx"}]}}}}
                """.formatted(ns));
        kubectl("scale", "deploy", "web", "-n", ns, "--replicas=3").assertOk();
        assertThat(kubectl("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}/{.metadata.generation}")
                .assertOk().out()).isEqualTo("3/2");
        assertThat(kubectl("get", "deploy", "-n", ns).assertOk().out())
                .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE").containsPattern("web\\s+0/3");
    }

    @Test
    void errorsComeBackAsStatus() throws Exception {
        TestCluster.Result missing = kubectl("get", "pod", "nope", "-n", ns);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("Error from server (NotFound): pods \"nope\" not found");
        createPod("dup", "");
        assertThat(cluster.kubectlWithInput(pod("dup", ""), "create", "-n", ns, "-f", "-").err())
                .contains("Error from server (AlreadyExists)", "pods \"dup\" already exists");
        String invalid = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"Bad_Name\"},\"spec\":{\"containers\":[]}}";
        assertThat(cluster.kubectlWithInput(invalid, "create", "-n", ns, "-f", "-").err())
                .contains("The Pod \"Bad_Name\" is invalid", "metadata.name: Invalid value: \"Bad_Name\"",
                        "spec.containers: Required value");
        assertThat(kubectl("get", "pods", "-n", "does-not-exist", "nothing").err()).contains("NotFound");
    }

    @Test
    void getWatchStreamsChanges() throws Exception {
        createPod("w", "\"app\":\"web\"");
        Process watch = cluster.kubectlProcess("get", "pods", "-n", ns, "-w");
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.startsWith("w ")));
            createPod("w2", "");
            kubectl("label", "pod", "w", "-n", ns, "seen=yes").assertOk();
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.startsWith("w2 ")));
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().filter(l -> l.startsWith("w ")).count() >= 2);
        } finally {
            watch.destroy();
            reader.join(5_000);
        }
    }

    @Test
    void waitForConditionJsonpathAndDelete() throws Exception {
        createPod("r", "");
        kubectl("patch", "pod", "r", "-n", ns, "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}").assertOk();
        assertThat(kubectl("wait", "--for=condition=Ready", "pod/r", "-n", ns, "--timeout=20s").assertOk().out())
                .contains("pod/r condition met");
        assertThat(kubectl("wait", "--for=jsonpath={.status.phase}=Pending", "pod/r", "-n", ns, "--timeout=20s")
                .assertOk().out()).contains("condition met");
        Process waiting = cluster.kubectlProcess("wait", "--for=delete", "pod/r", "-n", ns, "--timeout=30s");
        kubectl("delete", "pod", "r", "-n", ns, "--wait=false").assertOk();
        assertThat(waiting.waitFor()).isZero();
    }

    @Test
    void deleteBySelectorGracePeriodAndCascade() throws Exception {
        createPod("x1", "\"app\":\"x\"");
        createPod("x2", "\"app\":\"x\"");
        createPod("y", "\"app\":\"y\"");
        assertThat(kubectl("delete", "pods", "-n", ns, "-l", "app=x").assertOk().out())
                .contains("pod \"x1\" deleted", "pod \"x2\" deleted");
        kubectl("delete", "pod", "y", "-n", ns, "--grace-period=0", "--force").assertOk();
        apply("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"gone","namespace":"%s"},
                 "spec":{"selector":{"matchLabels":{"app":"g"}},
                  "template":{"metadata":{"labels":{"app":"g"}},"spec":{"containers":[{"name":"n","image":"nginx"}]}}}}
                """.formatted(ns));
        // Without a garbage collector the orphan finalizer stays, as upstream: remove it by hand.
        kubectl("delete", "deploy", "gone", "-n", ns, "--cascade=orphan", "--wait=false").assertOk();
        assertThat(kubectl("get", "deploy", "gone", "-n", ns, "-o", "jsonpath={.metadata.finalizers}").assertOk().out())
                .isEqualTo("[\"orphan\"]");
        kubectl("patch", "deploy", "gone", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}")
                .assertOk();
        assertThat(kubectl("get", "all", "-n", ns, "-o", "name").assertOk().out()).isEmpty();
    }

    @Test
    void generatorCommandsThatSendProtobufWork() throws Exception {
        String other = ns + "-gen";
        kubectl("create", "namespace", other).assertOk();
        kubectl("-n", other, "create", "configmap", "cm", "--from-literal=a=b").assertOk();
        kubectl("-n", other, "create", "secret", "generic", "s", "--from-literal=k=v").assertOk();
        kubectl("-n", other, "create", "deployment", "web", "--image=nginx", "--replicas=2").assertOk();
        kubectl("-n", other, "create", "job", "j", "--image=busybox", "--", "echo", "hi").assertOk();
        kubectl("-n", other, "create", "serviceaccount", "robot").assertOk();
        assertThat(kubectl("-n", other, "get", "cm", "cm", "-o", "jsonpath={.data.a}").assertOk().out()).isEqualTo("b");
        assertThat(kubectl("-n", other, "get", "secret", "s", "-o", "jsonpath={.data.k}").assertOk().out()).isEqualTo("dg==");
        assertThat(kubectl("-n", other, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}")
                .assertOk().out()).isEqualTo("2 nginx");
        assertThat(kubectl("-n", other, "get", "job", "j", "-o", "jsonpath={.spec.template.spec.containers[0].command}")
                .assertOk().out()).isEqualTo("[\"echo\",\"hi\"]");
    }

    @Test
    void eventsAreListed() throws Exception {
        apply("""
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"e1","namespace":"%s"},
                 "involvedObject":{"kind":"Pod","name":"p","namespace":"%s"},"reason":"Testing","message":"hello",
                 "type":"Normal","count":1}
                """.formatted(ns, ns));
        assertThat(kubectl("get", "events", "-n", ns).assertOk().out()).contains("Testing", "hello", "pod/p");
        assertThat(kubectl("get", "events", "-n", ns, "--field-selector", "involvedObject.name=p", "-o", "name")
                .assertOk().out()).contains("event/e1");
    }
}
