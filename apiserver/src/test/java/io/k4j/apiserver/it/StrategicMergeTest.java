package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl's commands that send strategic merge patches: client-side apply (a 3-way patch computed by kubectl
 * from the last-applied annotation), patch, set, rollout restart, edit and diff.
 */
class StrategicMergeTest extends KubectlClusterTest {

    @Override
    protected String namespacePrefix() {
        return "smp";
    }

    private TestCluster.Result kubectl(String... args) throws Exception {
        return cluster.kubectl(args);
    }

    private String get(String resource, String jsonpath) throws Exception {
        return kubectl("get", resource, "-n", ns, "-o", "jsonpath=" + jsonpath).assertOk().out();
    }

    private TestCluster.Result apply(String yaml) throws Exception {
        return cluster.kubectlWithInput(yaml, "apply", "-n", ns, "-f", "-");
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels:
                app: web
                tier: fe
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: app
                    image: nginx:1
                    env:
                    - name: A
                      value: "1"
                    - name: B
                      value: "2"
                  - name: sidecar
                    image: busybox:1
            """;

    private static final String TRIMMED = DEPLOYMENT
            .replace("    tier: fe\n", "")
            .replace("        - name: B\n          value: \"2\"\n", "")
            .replace("      - name: sidecar\n        image: busybox:1\n", "");

    @Test
    void clientSideApplyCreatesIsIdempotentAndRemovesWhatTheFileDrops() throws Exception {
        assertThat(apply(DEPLOYMENT).assertOk().out()).contains("deployment.apps/web created");
        assertThat(get("deploy/web", "{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"))
                .contains("\"sidecar\"");
        assertThat(apply(DEPLOYMENT).assertOk().out()).contains("deployment.apps/web unchanged");

        // A change made by someone else, outside the file, survives the 3-way patch.
        kubectl("label", "deploy", "web", "-n", ns, "owner=ops").assertOk();
        assertThat(TRIMMED).doesNotContain("tier", "sidecar", "name: B");
        assertThat(apply(TRIMMED).assertOk().out()).contains("deployment.apps/web configured");
        assertThat(get("deploy/web", "{.metadata.labels}")).contains("\"app\":\"web\"", "\"owner\":\"ops\"")
                .doesNotContain("tier");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[*].name}")).isEqualTo("app");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[*].name}")).isEqualTo("A");
        assertThat(apply(TRIMMED).assertOk().out()).contains("deployment.apps/web unchanged");

        // Adding back in the middle keeps the file's order ($setElementOrder).
        String reordered = TRIMMED.replace("        - name: A\n          value: \"1\"\n",
                "        - name: Z\n          value: \"0\"\n        - name: A\n          value: \"1\"\n");
        apply(reordered).assertOk();
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[*].name}")).isEqualTo("Z A");
    }

    @Test
    void applySwitchingAUnionMemberClearsTheOldOne() throws Exception {
        String withVolume = DEPLOYMENT.replace("      - name: sidecar\n        image: busybox:1\n", """
                      volumes:
                      - name: data
                        emptyDir: {}
                """).replace("  replicas: 1\n", """
                  replicas: 1
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 2
                """);
        apply(withVolume).assertOk();
        assertThat(get("deploy/web", "{.spec.strategy.rollingUpdate.maxSurge}")).isEqualTo("2");
        String switched = withVolume.replace("emptyDir: {}", "hostPath:\n            path: /tmp")
                .replace("    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 2\n", "    type: Recreate\n");
        apply(switched).assertOk();
        assertThat(get("deploy/web", "{.spec.strategy}")).isEqualTo("{\"type\":\"Recreate\"}");
        assertThat(get("deploy/web", "{.spec.template.spec.volumes[0]}")).contains("hostPath").doesNotContain("emptyDir");
    }

    @Test
    void rolloutPauseAndResume() throws Exception {
        apply(DEPLOYMENT).assertOk();
        kubectl("rollout", "pause", "deploy/web", "-n", ns).assertOk();
        assertThat(get("deploy/web", "{.spec.paused}")).isEqualTo("true");
        kubectl("rollout", "resume", "deploy/web", "-n", ns).assertOk();
        assertThat(get("deploy/web", "{.spec.paused}")).isEmpty();
    }

    @Test
    void applyAServiceMergesPortsByPort() throws Exception {
        String service = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: svc
                spec:
                  selector:
                    app: web
                  ports:
                  - name: http
                    port: 80
                    targetPort: 8080
                """;
        apply(service).assertOk();
        apply(service.replace("targetPort: 8080", "targetPort: 9090") + """
                  - name: https
                    port: 443
                """).assertOk();
        assertThat(get("svc/svc", "{.spec.ports[*].name}/{.spec.ports[0].targetPort}")).isEqualTo("http https/9090");
        assertThat(get("svc/svc", "{.spec.clusterIP}")).isNotEmpty();
    }

    @Test
    void patchWithTheDefaultTypeMergesContainersPortsAndEnvByKey() throws Exception {
        apply(DEPLOYMENT).assertOk();
        kubectl("patch", "deploy", "web", "-n", ns, "-p", """
                {"spec":{"template":{"spec":{"containers":[{"name":"app",
                 "ports":[{"containerPort":8080}],"env":[{"name":"C","value":"3"}]}]}}}}""").assertOk();
        assertThat(get("deploy/web", "{.spec.template.spec.containers[*].name}")).isEqualTo("app sidecar");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].image}")).isEqualTo("nginx:1");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[*].name}")).isEqualTo("A B C");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].ports[*].containerPort}")).isEqualTo("8080");

        kubectl("patch", "deploy", "web", "-n", ns, "--type=strategic", "-p", """
                {"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}""").assertOk();
        assertThat(get("deploy/web", "{.spec.template.spec.containers[*].name}")).isEqualTo("app");
    }

    @Test
    void aStaleResourceVersionInsideTheStrategicPatchIsAConflict() throws Exception {
        apply(DEPLOYMENT).assertOk();
        TestCluster.Result stale = kubectl("patch", "deploy", "web", "-n", ns, "-p",
                "{\"metadata\":{\"resourceVersion\":\"1\",\"labels\":{\"x\":\"1\"}}}");
        assertThat(stale.exitCode()).isNotZero();
        assertThat(stale.err()).contains("Conflict", "the object has been modified");
        String current = get("deploy/web", "{.metadata.resourceVersion}");
        kubectl("patch", "deploy", "web", "-n", ns, "-p",
                "{\"metadata\":{\"resourceVersion\":\"" + current + "\",\"labels\":{\"x\":\"1\"}}}").assertOk();
        assertThat(get("deploy/web", "{.metadata.labels.x}")).isEqualTo("1");
    }

    @Test
    void setImageEnvAndResources() throws Exception {
        apply(DEPLOYMENT).assertOk();
        kubectl("set", "image", "deploy/web", "-n", ns, "app=nginx:2").assertOk();
        assertThat(get("deploy/web", "{.spec.template.spec.containers[*].image}")).isEqualTo("nginx:2 busybox:1");
        kubectl("set", "env", "deploy/web", "-n", ns, "-c", "app", "D=4", "A=10").assertOk();
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[*].name}")).isEqualTo("A B D");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[0].value}")).isEqualTo("10");
        kubectl("set", "env", "deploy/web", "-n", ns, "-c", "app", "B-").assertOk();
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[*].name}")).isEqualTo("A D");
        kubectl("set", "resources", "deploy/web", "-n", ns, "-c", "app", "--limits=cpu=200m").assertOk();
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].resources.limits.cpu}")).isEqualTo("200m");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[1].resources.limits}")).isEmpty();
        assertThat(get("deploy/web", "{.metadata.generation}")).isEqualTo("5");
    }

    @Test
    void rolloutRestartAnnotatesThePodTemplate() throws Exception {
        apply(DEPLOYMENT).assertOk();
        assertThat(kubectl("rollout", "restart", "deploy/web", "-n", ns).assertOk().out())
                .contains("deployment.apps/web restarted");
        assertThat(get("deploy/web", "{.spec.template.metadata.annotations}"))
                .contains("kubectl.kubernetes.io/restartedAt");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[*].name}")).isEqualTo("app sidecar");
    }

    @Test
    void editWithAnEditorScript() throws Exception {
        apply(DEPLOYMENT).assertOk();
        TestCluster.Result edited = withEditor("sed -i -e s/nginx:1/nginx:3/ -e s/busybox:1/busybox:2/",
                "edit", "deploy/web", "-n", ns);
        assertThat(edited.exitCode()).as(edited.err()).isZero();
        assertThat(edited.out()).contains("deployment.apps/web edited");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[*].image}")).isEqualTo("nginx:3 busybox:2");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[*].name}")).isEqualTo("A B");
    }

    @Test
    void diffShowsTheChangeThroughAServerDryRun() throws Exception {
        apply(DEPLOYMENT).assertOk();
        TestCluster.Result same = cluster.kubectlWithInput(DEPLOYMENT, "diff", "-n", ns, "-f", "-");
        assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
        TestCluster.Result changed = cluster.kubectlWithInput(DEPLOYMENT.replace("nginx:1", "nginx:9"),
                "diff", "-n", ns, "-f", "-");
        assertThat(changed.exitCode()).as(changed.err()).isEqualTo(1);
        assertThat(changed.out()).contains("-        image: nginx:1", "+        image: nginx:9");
        assertThat(get("deploy/web", "{.spec.template.spec.containers[0].image}")).as("dry run only")
                .isEqualTo("nginx:1");
    }

    @Test
    void cordonAndUncordonANode() throws Exception {
        cluster.kubectlWithInput("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + ns + "-node\"}}",
                "create", "-f", "-").assertOk();
        kubectl("cordon", ns + "-node").assertOk();
        assertThat(kubectl("get", "node", ns + "-node", "-o", "jsonpath={.spec.unschedulable}").assertOk().out())
                .isEqualTo("true");
        kubectl("uncordon", ns + "-node").assertOk();
        assertThat(kubectl("get", "node", ns + "-node", "-o", "jsonpath={.spec.unschedulable}").assertOk().out())
                .isEmpty();
    }

    /** Runs kubectl with EDITOR set (TestCluster's helpers take no environment). */
    private TestCluster.Result withEditor(String editor, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + cluster.kubeconfig()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("EDITOR", editor);
        builder.environment().remove("KUBE_EDITOR");
        builder.environment().put("HOME", cluster.dataDir().toString());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl edit did not finish");
        }
        return new TestCluster.Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }
}
