package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * kubectl's generator commands (create ..., run, expose) and drain against a real k4j server: kubectl 1.32 sends most
 * of them as Kubernetes protobuf, so each must decode and be stored as the same command's JSON would be.
 */
class KubectlGeneratorsTest extends KubectlClusterTest {

    @Override
    protected String namespacePrefix() {
        return "gen";
    }

    private TestCluster.Result kubectl(String... args) throws Exception {
        return cluster.kubectl(args);
    }

    /** kubectl -n NS ARGS, which must succeed. */
    private String inNs(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "-n";
        all[1] = ns;
        System.arraycopy(args, 0, all, 2, args.length);
        return cluster.kubectl(all).assertOk().out();
    }

    private String jsonpath(String resource, String path) throws Exception {
        return inNs("get", resource, "-o", "jsonpath=" + path);
    }

    @Test
    void namespacesConfigMapsAndSecrets() throws Exception {
        assertThat(kubectl("get", "ns", ns, "-o", "jsonpath={.status.phase}").assertOk().out()).isEqualTo("Active");
        inNs("create", "configmap", "lit", "--from-literal=a=b", "--from-literal=multi=x\ny");
        assertThat(jsonpath("cm/lit", "{.data.a}|{.data.multi}")).isEqualTo("b|x\ny");
        Path file = cluster.dataDir().resolve("settings.properties");
        Files.writeString(file, "level=debug\n");
        Path binary = cluster.dataDir().resolve("blob.bin");
        Files.write(binary, new byte[] {0, (byte) 0xff, 1});
        inNs("create", "configmap", "files", "--from-file=" + file, "--from-file=renamed.txt=" + file,
                "--from-file=" + binary);
        assertThat(jsonpath("cm/files", "{.data.settings\\.properties}|{.data.renamed\\.txt}|{.binaryData.blob\\.bin}"))
                .isEqualTo("level=debug\n|level=debug\n|AP8B");
        inNs("create", "secret", "generic", "gen", "--from-literal=k=v", "--from-file=" + file);
        assertThat(jsonpath("secret/gen", "{.type}|{.data.k}")).isEqualTo("Opaque|dg==");
        Path tls = cluster.dataDir().resolve("server/tls");
        inNs("create", "secret", "tls", "cert", "--cert=" + tls.resolve("admin.crt"), "--key=" + tls.resolve("admin.key"));
        assertThat(jsonpath("secret/cert", "{.type}")).isEqualTo("kubernetes.io/tls");
        assertThat(jsonpath("secret/cert", "{.data.tls\\.crt}")).isNotEmpty();
        inNs("create", "secret", "docker-registry", "reg", "--docker-server=r.example.com", "--docker-username=u",
                "--docker-password=p", "--docker-email=u@example.com");
        assertThat(jsonpath("secret/reg", "{.type}")).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(new String(java.util.Base64.getDecoder().decode(jsonpath("secret/reg",
                "{.data.\\.dockerconfigjson}")))).contains("r.example.com", "\"username\":\"u\"");
    }

    @Test
    void workloads() throws Exception {
        inNs("create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80");
        assertThat(jsonpath("deploy/web", "{.spec.replicas} {.spec.selector.matchLabels.app} "
                + "{.spec.template.spec.containers[0].ports[0].containerPort}")).isEqualTo("2 web 80");
        inNs("create", "job", "j", "--image=busybox", "--", "echo", "hi");
        assertThat(jsonpath("job/j", "{.spec.template.spec.containers[0].command}")).isEqualTo("[\"echo\",\"hi\"]");
        inNs("create", "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *", "--restart=OnFailure", "--",
                "date");
        assertThat(jsonpath("cj/cj", "{.spec.schedule}|{.spec.jobTemplate.spec.template.spec.restartPolicy}"))
                .isEqualTo("*/5 * * * *|OnFailure");
        inNs("create", "job", "from-cj", "--from=cronjob/cj");
        assertThat(jsonpath("job/from-cj", "{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}|"
                + "{.metadata.ownerReferences[0].kind}|{.spec.template.spec.containers[0].command}"))
                .isEqualTo("manual|CronJob|[\"date\"]");
        inNs("run", "solo", "--image=busybox", "--labels=app=solo", "--env=A=1", "--port=8080", "--", "sleep", "10");
        assertThat(jsonpath("pod/solo", "{.metadata.labels.app}|{.spec.containers[0].env[0].value}|"
                + "{.spec.containers[0].args}")).isEqualTo("solo|1|[\"sleep\",\"10\"]");
        inNs("expose", "deployment", "web", "--port=8080", "--target-port=80", "--name=web-svc");
        assertThat(jsonpath("svc/web-svc", "{.spec.selector.app}|{.spec.ports[0].port}|{.spec.ports[0].targetPort}"))
                .isEqualTo("web|8080|80");
        inNs("expose", "pod", "solo", "--port=8080", "--type=NodePort");
        assertThat(jsonpath("svc/solo", "{.spec.type}")).isEqualTo("NodePort");
    }

    @Test
    void services() throws Exception {
        inNs("create", "service", "clusterip", "ci", "--tcp=80:8080");
        assertThat(jsonpath("svc/ci", "{.spec.type}|{.spec.ports[0].targetPort}|{.spec.selector.app}"))
                .isEqualTo("ClusterIP|8080|ci");
        assertThat(jsonpath("svc/ci", "{.spec.clusterIP}")).matches("10\\.43\\.\\d+\\.\\d+");
        inNs("create", "service", "clusterip", "headless", "--clusterip=None");
        assertThat(jsonpath("svc/headless", "{.spec.clusterIP}")).isEqualTo("None");
        inNs("create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080");
        assertThat(jsonpath("svc/np", "{.spec.type}|{.spec.ports[0].nodePort}")).isEqualTo("NodePort|30080");
        inNs("create", "service", "loadbalancer", "lb", "--tcp=443:8443");
        assertThat(jsonpath("svc/lb", "{.spec.type}|{.spec.ports[0].port}")).isEqualTo("LoadBalancer|443");
        inNs("create", "service", "externalname", "ext", "--external-name=db.example.com");
        assertThat(jsonpath("svc/ext", "{.spec.type}|{.spec.externalName}")).isEqualTo("ExternalName|db.example.com");
    }

    @Test
    void rbacAndPolicy() throws Exception {
        inNs("create", "serviceaccount", "robot");
        assertThat(jsonpath("sa/robot", "{.metadata.uid}")).isNotEmpty();
        inNs("create", "role", "reader", "--verb=get,list", "--resource=pods,deployments.apps",
                "--resource-name=a");
        assertThat(jsonpath("role/reader", "{.rules[0].verbs}|{.rules[0].resourceNames}"))
                .isEqualTo("[\"get\",\"list\"]|[\"a\"]");
        inNs("create", "rolebinding", "rb", "--role=reader", "--user=u", "--group=g", "--serviceaccount=" + ns + ":robot");
        assertThat(jsonpath("rolebinding/rb", "{.roleRef.kind}|{.subjects[*].kind}"))
                .isEqualTo("Role|User Group ServiceAccount");
        String cr = "cr-" + ns;
        kubectl("create", "clusterrole", cr, "--verb=get", "--resource=nodes", "--non-resource-url=/logs/*")
                .assertOk();
        assertThat(kubectl("get", "clusterrole", cr, "-o", "jsonpath={.rules[1].nonResourceURLs}").assertOk().out())
                .isEqualTo("[\"/logs/*\"]");
        kubectl("create", "clusterrole", cr + "-agg", "--aggregation-rule=rbac.example.com/aggregate=true")
                .assertOk();
        assertThat(kubectl("get", "clusterrole", cr + "-agg", "-o",
                "jsonpath={.aggregationRule.clusterRoleSelectors[0].matchLabels}").assertOk().out())
                .isEqualTo("{\"rbac.example.com/aggregate\":\"true\"}");
        kubectl("create", "clusterrolebinding", cr, "--clusterrole=" + cr, "--group=devs").assertOk();
        assertThat(kubectl("get", "clusterrolebinding", cr, "-o", "jsonpath={.subjects[0].name}").assertOk().out())
                .isEqualTo("devs");
        inNs("create", "quota", "q", "--hard=cpu=1,pods=2,requests.memory=1Gi", "--scopes=NotTerminating");
        assertThat(jsonpath("quota/q", "{.spec.hard.pods}|{.spec.scopes}")).isEqualTo("2|[\"NotTerminating\"]");
        kubectl("create", "priorityclass", "pc-" + ns, "--value=1000", "--description=high",
                "--preemption-policy=Never").assertOk();
        assertThat(kubectl("get", "pc", "pc-" + ns, "-o", "jsonpath={.value}|{.preemptionPolicy}").assertOk().out())
                .isEqualTo("1000|Never");
        inNs("create", "poddisruptionbudget", "pdb", "--selector=app=web", "--min-available=50%");
        assertThat(jsonpath("pdb/pdb", "{.spec.minAvailable}|{.spec.selector.matchLabels.app}")).isEqualTo("50%|web");
        inNs("create", "pdb", "pdb2", "--selector=app=web", "--max-unavailable=1");
        assertThat(jsonpath("pdb/pdb2", "{.spec.maxUnavailable}")).isEqualTo("1");
        inNs("create", "ingress", "ing", "--class=nginx", "--rule=foo.com/bar*=svc:8080,tls=cert",
                "--rule=/=other:http", "--default-backend=def:80", "--annotation=a=b");
        assertThat(jsonpath("ing/ing", "{.spec.ingressClassName}|{.spec.rules[0].host}|"
                + "{.spec.rules[0].http.paths[0].pathType}|{.spec.rules[0].http.paths[0].backend.service.port.number}|"
                + "{.spec.rules[1].http.paths[0].backend.service.port.name}|{.spec.tls[0].secretName}|"
                + "{.spec.defaultBackend.service.name}"))
                .isEqualTo("nginx|foo.com|Prefix|8080|http|cert|def");
    }

    @Test
    void createToken() throws Exception {
        inNs("create", "serviceaccount", "robot");
        String token = inNs("create", "token", "robot", "--duration=10m", "--audience=x").trim();
        assertThat(token.split("\\.")).hasSize(3);
        TestCluster.Result missing = kubectl("-n", ns, "create", "token", "nobody");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("serviceaccounts \"nobody\" not found");
    }

    @Test
    void drainEvictsOrDeletesThePodsOfANode() throws Exception {
        String node = "node-" + ns;
        // Already cordoned, so drain does not need a strategic merge patch to cordon it.
        cluster.kubectlWithInput("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},"spec":{"unschedulable":true}}
                """.formatted(node), "create", "-f", "-").assertOk();
        for (String pod : new String[] {"p1", "p2", "p3"}) {
            cluster.kubectlWithInput("""
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s"},
                     "spec":{"nodeName":"%s","containers":[{"name":"c","image":"busybox"}]}}
                    """.formatted(pod, ns, node), "create", "-f", "-").assertOk();
        }
        inNs("create", "pdb", "pdb", "--selector=app=none", "--min-available=1");
        // First by eviction (pods/eviction, policy/v1), for the pods there are; then by delete.
        String out = kubectl("drain", node, "--force", "--grace-period=0", "--ignore-daemonsets",
                "--pod-selector=!skip", "--timeout=30s").assertOk().out();
        assertThat(out).contains("evicting pod " + ns + "/p1", "pod/p1 evicted", "node/" + node + " drained");
        assertThat(inNs("get", "pods", "-o", "name")).isEmpty();
        cluster.kubectlWithInput("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p4","namespace":"%s"},
                 "spec":{"nodeName":"%s","containers":[{"name":"c","image":"busybox"}]}}
                """.formatted(ns, node), "create", "-f", "-").assertOk();
        out = kubectl("drain", node, "--force", "--grace-period=0", "--disable-eviction", "--timeout=30s")
                .assertOk().out();
        assertThat(out).contains("pod/p4 deleted");
        assertThat(inNs("get", "pods", "-o", "name")).isEmpty();
    }

    @Test
    void aProtobufKindWithoutADecoderIsA415StatusAndGarbageA400() throws Exception {
        TestHttp http = new TestHttp(cluster, java.net.http.HttpClient.Version.HTTP_1_1);
        java.io.ByteArrayOutputStream typeMeta = new java.io.ByteArrayOutputStream();
        field(typeMeta, 1, "apps/v1".getBytes());
        field(typeMeta, 2, "StatefulSet".getBytes());
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(new byte[] {'k', '8', 's', 0});
        field(body, 1, typeMeta.toByteArray());
        field(body, 2, new byte[0]);
        var response = http.send(http.request("/apis/apps/v1/namespaces/" + ns + "/statefulsets")
                .header("Content-Type", "application/vnd.kubernetes.protobuf")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("\"kind\":\"Status\"", "\"reason\":\"UnsupportedMediaType\"",
                "StatefulSet", "application/json");
        var garbage = http.send(http.request("/api/v1/namespaces/" + ns + "/configmaps")
                .header("Content-Type", "application/vnd.kubernetes.protobuf")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {'k', '8', 's', 0, 0x0a, 0x7f})));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("\"reason\":\"BadRequest\"", "malformed");
    }

    private static void field(java.io.ByteArrayOutputStream out, int number, byte[] value) {
        out.write(number << 3 | 2);
        out.write(value.length); // short values only: one-byte length
        out.writeBytes(value);
    }
}
