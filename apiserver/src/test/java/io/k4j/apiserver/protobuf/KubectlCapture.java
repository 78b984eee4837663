package io.k4j.apiserver.protobuf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Not a test: a throwaway fake API server that records the request bodies the real kubectl sends, used to produce the
 * fixtures under {@code src/test/resources/protobuf}. It answers discovery with a fixed resource list and every write
 * with a plausible object. Run it with a JDK 21+ source launcher and kubectl on the PATH:
 *
 * <pre>java apiserver/src/test/java/io/k4j/apiserver/protobuf/KubectlCapture.java apiserver/src/test/resources/protobuf</pre>
 *
 * For each case it writes {@code NAME.bin} (the body as sent) and, where kubectl can print the object it would send,
 * {@code NAME.json} (from {@code -o json --dry-run=client}).
 */
public final class KubectlCapture {

    record Captured(String method, String path, String contentType, byte[] body) {
    }

    record Res(String name, String kind, boolean namespaced, String group, String version) {
    }

    private static final Map<String, List<Res>> RESOURCES = new LinkedHashMap<>();

    static {
        RESOURCES.put("v1", List.of(
                new Res("namespaces", "Namespace", false, null, null),
                new Res("configmaps", "ConfigMap", true, null, null),
                new Res("secrets", "Secret", true, null, null),
                new Res("services", "Service", true, null, null),
                new Res("resourcequotas", "ResourceQuota", true, null, null),
                new Res("serviceaccounts", "ServiceAccount", true, null, null),
                new Res("serviceaccounts/token", "TokenRequest", true, "authentication.k8s.io", "v1"),
                new Res("nodes", "Node", false, null, null),
                new Res("pods", "Pod", true, null, null),
                new Res("pods/eviction", "Eviction", true, "policy", "v1")));
        RESOURCES.put("apps/v1", List.of(new Res("deployments", "Deployment", true, null, null),
                new Res("deployments/scale", "Scale", true, "autoscaling", "v1")));
        RESOURCES.put("batch/v1", List.of(
                new Res("jobs", "Job", true, null, null),
                new Res("cronjobs", "CronJob", true, null, null)));
        RESOURCES.put("authorization.k8s.io/v1", List.of(
                new Res("selfsubjectaccessreviews", "SelfSubjectAccessReview", false, null, null),
                new Res("selfsubjectrulesreviews", "SelfSubjectRulesReview", false, null, null)));
        RESOURCES.put("authentication.k8s.io/v1", List.of(
                new Res("selfsubjectreviews", "SelfSubjectReview", false, null, null)));
        RESOURCES.put("policy/v1", List.of(new Res("poddisruptionbudgets", "PodDisruptionBudget", true, null, null)));
        RESOURCES.put("rbac.authorization.k8s.io/v1", List.of(
                new Res("roles", "Role", true, null, null),
                new Res("rolebindings", "RoleBinding", true, null, null),
                new Res("clusterroles", "ClusterRole", false, null, null),
                new Res("clusterrolebindings", "ClusterRoleBinding", false, null, null)));
        RESOURCES.put("networking.k8s.io/v1", List.of(new Res("ingresses", "Ingress", true, null, null)));
        RESOURCES.put("scheduling.k8s.io/v1", List.of(new Res("priorityclasses", "PriorityClass", false, null, null)));
        RESOURCES.put("autoscaling/v1", List.of(
                new Res("horizontalpodautoscalers", "HorizontalPodAutoscaler", true, null, null)));
        RESOURCES.put("certificates.k8s.io/v1", List.of(
                new Res("certificatesigningrequests", "CertificateSigningRequest", false, null, null),
                new Res("certificatesigningrequests/approval", "CertificateSigningRequest", false, null, null)));
    }

    /** kubectl create job --from=cronjob/rich copies this template into the Job it sends: a wide PodSpec. */
    private static final String RICH_CRONJOB = """
            {"kind":"CronJob","apiVersion":"batch/v1","metadata":{"name":"rich","namespace":"default","uid":"cj-uid-1",
             "resourceVersion":"7","creationTimestamp":"2024-05-01T10:00:00Z"},
             "spec":{"schedule":"@hourly","jobTemplate":{
              "metadata":{"labels":{"team":"a"},"annotations":{"note":"x"}},
              "spec":{"parallelism":2,"completions":4,"activeDeadlineSeconds":600,"backoffLimit":0,
               "ttlSecondsAfterFinished":100,"completionMode":"Indexed","suspend":false,
               "template":{"metadata":{"labels":{"app":"rich"},"annotations":{"a":""}},
                "spec":{
                 "volumes":[
                  {"name":"scratch","emptyDir":{"medium":"Memory","sizeLimit":"64Mi"}},
                  {"name":"empty","emptyDir":{}},
                  {"name":"cfg","configMap":{"name":"cm","items":[{"key":"k","path":"p","mode":256}],"defaultMode":420,
                   "optional":true}},
                  {"name":"sec","secret":{"secretName":"s","defaultMode":256,"optional":false}},
                  {"name":"host","hostPath":{"path":"/var/log","type":"Directory"}},
                  {"name":"data","persistentVolumeClaim":{"claimName":"pvc","readOnly":true}},
                  {"name":"info","downwardAPI":{"items":[{"path":"labels","fieldRef":{"apiVersion":"v1",
                   "fieldPath":"metadata.labels"}}]}},
                  {"name":"proj","projected":{"sources":[{"serviceAccountToken":{"audience":"vault",
                   "expirationSeconds":3600,"path":"token"}},{"configMap":{"name":"cm2"}}],"defaultMode":292}}],
                 "initContainers":[{"name":"init","image":"busybox","command":["sh","-c","true"],"restartPolicy":"Always",
                  "resources":{}}],
                 "containers":[{"name":"main","image":"nginx:1.25","command":["nginx"],"args":["-g","daemon off;"],
                  "workingDir":"/srv",
                  "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"containerPort":53,"hostPort":5353,
                   "protocol":"UDP","hostIP":"127.0.0.1"}],
                  "envFrom":[{"prefix":"CM_","configMapRef":{"name":"cm","optional":true}},{"secretRef":{"name":"s"}}],
                  "env":[{"name":"PLAIN","value":"v"},{"name":"EMPTY"},
                   {"name":"POD","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},
                   {"name":"CPU","valueFrom":{"resourceFieldRef":{"containerName":"main","resource":"limits.cpu",
                    "divisor":"1m"}}},
                   {"name":"CMK","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k","optional":false}}},
                   {"name":"SK","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}],
                  "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"250m","memory":"64Mi",
                   "ephemeral-storage":"1Gi"}},
                  "volumeMounts":[{"name":"scratch","mountPath":"/tmp"},{"name":"cfg","mountPath":"/etc/cfg",
                   "readOnly":true,"subPath":"sub","mountPropagation":"None"}],
                  "livenessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP","httpHeaders":[
                   {"name":"X-A","value":"b"}]},"initialDelaySeconds":5,"timeoutSeconds":2,"periodSeconds":10,
                   "successThreshold":1,"failureThreshold":3,"terminationGracePeriodSeconds":0},
                  "readinessProbe":{"tcpSocket":{"port":8080},"periodSeconds":5},
                  "startupProbe":{"exec":{"command":["cat","/ready"]},"failureThreshold":30},
                  "lifecycle":{"preStop":{"exec":{"command":["sleep","5"]}},"postStart":{"sleep":{"seconds":1}}},
                  "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"FallbackToLogsOnError",
                  "imagePullPolicy":"IfNotPresent",
                  "securityContext":{"capabilities":{"add":["NET_ADMIN"],"drop":["ALL"]},"privileged":false,
                   "runAsUser":0,"runAsGroup":1000,"runAsNonRoot":false,"readOnlyRootFilesystem":true,
                   "allowPrivilegeEscalation":false,"seccompProfile":{"type":"RuntimeDefault"}},
                  "stdin":true,"stdinOnce":true,"tty":true},
                  {"name":"grpc","image":"grpc","livenessProbe":{"grpc":{"port":9090,"service":"health"}}}],
                 "restartPolicy":"OnFailure","terminationGracePeriodSeconds":0,"activeDeadlineSeconds":900,
                 "dnsPolicy":"ClusterFirstWithHostNet","nodeSelector":{"disk":"ssd"},"serviceAccountName":"runner",
                 "serviceAccount":"runner","automountServiceAccountToken":false,"nodeName":"n1","hostNetwork":true,
                 "hostPID":true,"hostIPC":true,"shareProcessNamespace":false,
                 "securityContext":{"runAsUser":1000,"runAsNonRoot":true,"supplementalGroups":[5,6],"fsGroup":2000,
                  "sysctls":[{"name":"net.core.somaxconn","value":"1024"}],"seccompProfile":{"type":"Localhost",
                  "localhostProfile":"p.json"}},
                 "imagePullSecrets":[{"name":"regcred"}],"hostname":"h","subdomain":"sub",
                 "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                   {"matchExpressions":[{"key":"zone","operator":"In","values":["a","b"]}]}]},
                   "preferredDuringSchedulingIgnoredDuringExecution":[{"weight":10,"preference":{"matchExpressions":[
                   {"key":"gpu","operator":"Exists"}]}}]},
                  "podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":50,"podAffinityTerm":{
                   "labelSelector":{"matchLabels":{"app":"rich"},"matchExpressions":[{"key":"tier","operator":"NotIn",
                   "values":["db"]}]},"topologyKey":"kubernetes.io/hostname"}}]}},
                 "schedulerName":"default-scheduler",
                 "tolerations":[{"key":"k","operator":"Equal","value":"v","effect":"NoExecute","tolerationSeconds":0},
                  {"operator":"Exists"}],
                 "hostAliases":[{"ip":"10.0.0.1","hostnames":["a.local","b.local"]}],
                 "priorityClassName":"high","priority":0,
                 "dnsConfig":{"nameservers":["1.1.1.1"],"searches":["svc.local"],"options":[{"name":"ndots","value":"2"}]},
                 "readinessGates":[{"conditionType":"example.com/ready"}],"runtimeClassName":"runc",
                 "enableServiceLinks":false,"preemptionPolicy":"Never","overhead":{"cpu":"10m"},
                 "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule",
                  "labelSelector":{"matchLabels":{"app":"rich"}},"minDomains":2}],
                 "setHostnameAsFQDN":false,"os":{"name":"linux"},"hostUsers":true,
                 "schedulingGates":[{"name":"wait"}]}}}}}}
            """;

    private static final List<Captured> CAPTURED = new CopyOnWriteArrayList<>();

    private KubectlCapture() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "apiserver/src/test/resources/protobuf");
        Files.createDirectories(out);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", KubectlCapture::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Path home = Files.createTempDirectory("kubectl-capture");
        Path kubeconfig = home.resolve("config");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n");
        try {
            Runner run = new Runner(url, home, kubeconfig, out);
            run.create("namespace", "POST", true, "create", "namespace", "foo");
            run.create("configmap", "POST", true, "create", "configmap", "cm", "-n", "ns1", "--from-literal=a=b",
                    "--from-literal=c=multi\nline");
            run.create("secret-generic", "POST", true, "create", "secret", "generic", "s", "-n", "ns1",
                    "--from-literal=k=v", "--from-literal=empty=", "--type=Opaque");
            run.create("secret-docker", "POST", true, "create", "secret", "docker-registry", "reg",
                    "--docker-server=r.example.com", "--docker-username=u", "--docker-password=p");
            run.create("serviceaccount", "POST", true, "create", "serviceaccount", "sa", "-n", "ns1");
            run.create("deployment", "POST", true, "create", "deployment", "web", "--image=nginx", "--replicas=2",
                    "--port=80");
            run.create("job", "POST", true, "create", "job", "j", "--image=busybox", "--", "echo", "hi");
            run.create("cronjob", "POST", true, "create", "cronjob", "cj", "--image=busybox",
                    "--schedule=*/1 * * * *", "--restart=OnFailure", "--", "date");
            run.create("token", "POST", false, "create", "token", "sa", "-n", "ns1", "--audience=a1",
                    "--audience=a2", "--duration=10m", "--bound-object-kind=Pod", "--bound-object-name=p1",
                    "--bound-object-uid=1234");
            run.create("can-i", "POST", false, "auth", "can-i", "create", "deployments.apps", "-n", "ns1",
                    "--subresource=scale");
            run.create("can-i-named", "POST", false, "auth", "can-i", "get", "pods/p1");
            run.create("can-i-nonresource", "POST", false, "auth", "can-i", "get", "/logs");
            run.create("can-i-list", "POST", false, "auth", "can-i", "--list", "-n", "ns1");
            run.create("whoami", "POST", false, "auth", "whoami");
            // drain's eviction (policy/v1 Eviction) goes out as JSON; its DELETE fallback sends protobuf DeleteOptions.
            run.create("drain-delete", "DELETE", false, "drain", "n1", "--force", "--disable-eviction",
                    "--grace-period=5", "--timeout=10s");
            // The other typed-client create commands, to see which of them send protobuf too.
            run.create("service", "POST", true, "create", "service", "clusterip", "svc", "--tcp=80:8080");
            run.create("quota", "POST", true, "create", "quota", "q", "--hard=cpu=1,pods=2");
            run.create("pdb", "POST", true, "create", "pdb", "pdb", "--selector=app=web", "--min-available=1");
            run.create("role", "POST", true, "create", "role", "r", "--verb=get", "--resource=pods");
            run.create("rolebinding", "POST", true, "create", "rolebinding", "rb", "--role=r", "--user=u");
            run.create("clusterrole", "POST", true, "create", "clusterrole", "cr", "--verb=get", "--resource=nodes");
            run.create("clusterrolebinding", "POST", true, "create", "clusterrolebinding", "crb",
                    "--clusterrole=cr", "--group=g");
            run.create("ingress", "POST", true, "create", "ingress", "ing", "--rule=foo.com/bar=svc:80");
            run.create("priorityclass", "POST", true, "create", "priorityclass", "pc", "--value=10");
            run.create("job-from-cronjob", "POST", true, "create", "job", "j2", "--from=cronjob/rich");
            run.create("pdb-percent", "POST", true, "create", "pdb", "pdb2", "--selector=app=web",
                    "--max-unavailable=50%");
            run.create("autoscale", "POST", true, "autoscale", "deployment", "web", "--min=2", "--max=5",
                    "--cpu-percent=70");
            run.create("debug-node", "POST", false, "debug", "node/n1", "--image=busybox", "--profile=general");
            run.create("certificate-approve", "PUT", false, "certificate", "approve", "csr1");
        } finally {
            server.stop(0);
        }
    }

    private record Runner(String url, Path home, Path kubeconfig, Path out) {

        void create(String name, String method, boolean dryRun, String... args) throws Exception {
            CAPTURED.clear();
            String output = kubectl(args);
            List<Captured> writes = CAPTURED.stream().filter(c -> c.method.equals(method)).toList();
            System.out.printf("%-20s %s%n", name, output.strip().replace('\n', '|'));
            for (Captured c : CAPTURED) {
                System.out.printf("    %s %s %s %d bytes%n", c.method, c.path, c.contentType, c.body.length);
            }
            if (writes.size() != 1) {
                System.out.println("    !! expected one " + method + " but got " + writes.size());
                return;
            }
            Captured write = writes.get(0);
            Files.write(out.resolve(name + ".bin"), write.body);
            if (dryRun) {
                List<String> json = new ArrayList<>(List.of(args));
                int dashes = json.indexOf("--");
                json.addAll(dashes < 0 ? json.size() : dashes, List.of("-o", "json", "--dry-run=client"));
                Files.writeString(out.resolve(name + ".json"), kubectl(json.toArray(String[]::new)));
            }
        }

        String kubectl(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("kubectl", "--server=" + url, "--cache-dir=" + home.resolve("cache")));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            builder.environment().put("HOME", home.toString());
            Process process = builder.start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return text;
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!method.equals("GET")) {
            CAPTURED.add(new Captured(method, path, exchange.getRequestHeaders().getFirst("Content-Type"), body));
        }
        try {
            if (method.equals("GET")) {
                get(exchange, path, query);
            } else if (method.equals("POST")) {
                post(exchange, path);
            } else if (method.equals("PUT") && path.equals("/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1/approval")) {
                reply(exchange, 200, csr());
            } else if (method.equals("PATCH") && path.equals("/api/v1/nodes/n1")) {
                reply(exchange, 200, node(true));
            } else if (method.equals("DELETE") && path.equals("/api/v1/namespaces/default/pods/p1")) {
                reply(exchange, 200, pod());
            } else {
                notFound(exchange);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            reply(exchange, 500, "{}");
        }
    }

    private static void get(HttpExchange exchange, String path, String query) throws IOException {
        if (path.equals("/api")) {
            reply(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                    + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}");
        } else if (path.equals("/apis")) {
            StringBuilder groups = new StringBuilder();
            for (String gv : RESOURCES.keySet()) {
                if (!gv.contains("/")) {
                    continue;
                }
                String group = gv.substring(0, gv.indexOf('/'));
                String version = "{\"groupVersion\":\"" + gv + "\",\"version\":\"v1\"}";
                groups.append(groups.isEmpty() ? "" : ",").append("{\"name\":\"").append(group)
                        .append("\",\"versions\":[").append(version).append("],\"preferredVersion\":")
                        .append(version).append('}');
            }
            reply(exchange, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + groups + "]}");
        } else if (path.equals("/api/v1") || (path.startsWith("/apis/") && RESOURCES.containsKey(path.substring(6)))) {
            String gv = path.equals("/api/v1") ? "v1" : path.substring(6);
            StringBuilder list = new StringBuilder();
            for (Res r : RESOURCES.get(gv)) {
                String singular = r.name.contains("/") ? "" : r.name.substring(0, r.name.length() - 1);
                list.append(list.isEmpty() ? "" : ",").append("{\"name\":\"").append(r.name)
                        .append("\",\"singularName\":\"").append(singular).append("\",\"namespaced\":")
                        .append(r.namespaced).append(",\"kind\":\"").append(r.kind).append('"')
                        .append(r.group == null ? "" : ",\"group\":\"" + r.group + "\",\"version\":\"" + r.version + "\"")
                        .append(",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}");
            }
            reply(exchange, 200, "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + gv
                    + "\",\"resources\":[" + list + "]}");
        } else if (path.equals("/api/v1/nodes/n1")) {
            reply(exchange, 200, node(false));
        } else if (path.equals("/apis/apps/v1/namespaces/default/deployments/web")) {
            reply(exchange, 200, "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\","
                    + "\"namespace\":\"default\",\"resourceVersion\":\"1\"},\"spec\":{\"replicas\":1,\"selector\":"
                    + "{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}");
        } else if (path.equals("/apis/batch/v1/namespaces/default/cronjobs/rich")) {
            reply(exchange, 200, RICH_CRONJOB);
        } else if (path.equals("/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1")) {
            reply(exchange, 200, csr());
        } else if (path.equals("/api/v1/pods")) {
            String selector = query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8);
            String items = selector.contains("spec.nodeName=n1") ? pod() : "";
            reply(exchange, 200, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},"
                    + "\"items\":[" + items + "]}");
        } else {
            notFound(exchange);
        }
    }

    private static void post(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.split("/");
        // /api/v1/[namespaces/NS/]RESOURCE[/NAME/SUB] or /apis/GROUP/v1/...
        int start = parts[1].equals("api") ? 3 : 4;
        String gv = parts[1].equals("api") ? "v1" : parts[2] + "/" + parts[3];
        String namespace = null;
        if (parts.length > start + 2 && parts[start].equals("namespaces")) {
            namespace = parts[start + 1];
            start += 2;
        }
        String resource = parts[start] + (parts.length > start + 2 ? "/" + parts[start + 2] : "");
        Res res = RESOURCES.getOrDefault(gv, List.of()).stream().filter(r -> r.name.equals(resource)).findFirst()
                .orElse(null);
        if (res == null) {
            notFound(exchange);
            return;
        }
        String apiVersion = res.group == null ? gv : res.group + "/" + res.version;
        String status = switch (res.kind) {
            case "SelfSubjectAccessReview" -> ",\"status\":{\"allowed\":true}";
            case "SelfSubjectRulesReview" -> ",\"status\":{\"resourceRules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],"
                    + "\"resources\":[\"*\"]}],\"nonResourceRules\":[{\"verbs\":[\"*\"],\"nonResourceURLs\":[\"*\"]}],"
                    + "\"incomplete\":false}";
            case "SelfSubjectReview" -> ",\"status\":{\"userInfo\":{\"username\":\"admin\",\"groups\":[\"system:masters\"]}}";
            case "TokenRequest" -> ",\"status\":{\"token\":\"tok\",\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"}";
            default -> "";
        };
        if (res.kind.equals("Pod")) {
            reply(exchange, 201, pod().replace("\"p1\"", "\"node-debugger\""));
            return;
        }
        if (res.kind.equals("Eviction")) {
            reply(exchange, 201, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\"}");
            return;
        }
        reply(exchange, 201, "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + res.kind + "\",\"metadata\":{\"name\":"
                + "\"captured\"" + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"") + "}" + status + "}");
    }

    private static String node(boolean unschedulable) {
        return "{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"n1\",\"resourceVersion\":\"1\"},"
                + "\"spec\":{\"unschedulable\":" + unschedulable + "}}";
    }

    private static String pod() {
        return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p1\",\"namespace\":\"default\","
                + "\"uid\":\"u1\",\"resourceVersion\":\"1\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":"
                + "[{\"name\":\"c\",\"image\":\"busybox\"}]},\"status\":{\"phase\":\"Running\"}}";
    }

    private static String csr() {
        return "{\"kind\":\"CertificateSigningRequest\",\"apiVersion\":\"certificates.k8s.io/v1\",\"metadata\":"
                + "{\"name\":\"csr1\",\"resourceVersion\":\"1\",\"creationTimestamp\":\"2024-05-01T10:00:00Z\"},"
                + "\"spec\":{\"request\":\"LS0tLS1CRUdJTg==\",\"signerName\":\"kubernetes.io/kube-apiserver-client\","
                + "\"expirationSeconds\":3600,\"usages\":[\"client auth\"],\"username\":\"alice\","
                + "\"groups\":[\"system:authenticated\"],\"extra\":{\"scopes\":[\"a\",\"b\"]}},\"status\":{}}";
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        reply(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"not found\",\"reason\":\"NotFound\",\"code\":404}");
    }

    private static void reply(HttpExchange exchange, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
