package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CustomResourceDefinitions and custom resources through the real kubectl (and fabric8's generic resources). */
class CustomResourceTest extends KubectlClusterTest {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    static final String WIDGETS = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: %1$s.example.com
            spec:
              group: example.com
              scope: Namespaced
              names:
                plural: %1$s
                singular: %2$s
                kind: %3$s
                shortNames: [%4$s]
                categories: [all, gadgets]
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                  scale:
                    specReplicasPath: .spec.replicas
                    statusReplicasPath: .status.replicas
                    labelSelectorPath: .status.selector
                additionalPrinterColumns:
                - name: Color
                  type: string
                  jsonPath: .spec.color
                - name: Replicas
                  type: integer
                  jsonPath: .spec.replicas
                - name: Ready
                  type: string
                  jsonPath: .status.conditions[?(@.type=="Ready")].status
                - name: Age
                  type: date
                  jsonPath: .metadata.creationTimestamp
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [color]
                        properties:
                          color: {type: string, enum: [red, green, blue]}
                          replicas: {type: integer, minimum: 0, maximum: 10, default: 1}
                          size: {type: string, pattern: '^[0-9]+(cm|m)$'}
                          labels: {type: object, additionalProperties: {type: string}}
                          extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                          port: {x-kubernetes-int-or-string: true}
                      status:
                        type: object
                        properties:
                          replicas: {type: integer}
                          selector: {type: string}
                          conditions:
                            type: array
                            items:
                              type: object
                              properties:
                                type: {type: string}
                                status: {type: string}
              - name: v1beta1
                served: true
                storage: false
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
            """;

    @Override
    protected String namespacePrefix() {
        return "cr";
    }

    private TestCluster.Result kubectl(String... args) throws Exception {
        return cluster.kubectl(args);
    }

    /** Creates a CRD for a fresh kind; returns its plural. */
    private String createCrd(String prefix) throws Exception {
        int n = COUNTER.incrementAndGet();
        String plural = prefix + n + "s";
        cluster.kubectlWithInput(WIDGETS.formatted(plural, prefix + n, Character.toUpperCase(prefix.charAt(0))
                + prefix.substring(1) + n, "w" + n), "apply", "-f", "-").assertOk();
        kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/" + plural + ".example.com").assertOk();
        return plural;
    }

    private TestCluster.Result create(String yaml) throws Exception {
        return cluster.kubectlWithInput(yaml, "create", "--validate=false", "-n", ns, "-f", "-");
    }

    private static String widget(String kind, String name, String spec) {
        return """
                apiVersion: example.com/v1
                kind: %s
                metadata:
                  name: %s
                spec: %s
                """.formatted(kind, name, spec);
    }

    private static String kindOf(String plural) {
        String singular = plural.substring(0, plural.length() - 1);
        return Character.toUpperCase(singular.charAt(0)) + singular.substring(1);
    }

    @Test
    void crdIsEstablishedAndDiscovered() throws Exception {
        String plural = createCrd("widget");
        String crd = kubectl("get", "crd", plural + ".example.com", "-o", "yaml").assertOk().out();
        assertThat(crd).contains("type: Established", "type: NamesAccepted", "reason: NoConflicts",
                "storedVersions:", "- v1", "acceptedNames:", "listKind: " + kindOf(plural) + "List");
        String resources = kubectl("api-resources").assertOk().out();
        assertThat(resources).containsPattern(plural + "\\s+w\\d+\\s+example.com/v1\\s+true\\s+" + kindOf(plural))
                .containsPattern("customresourcedefinitions\\s+crd,crds\\s+apiextensions.k8s.io/v1\\s+false");
        assertThat(kubectl("api-versions").assertOk().out()).contains("example.com/v1", "example.com/v1beta1");
        String aggregated = kubectl("get", "--raw", "/apis/example.com/v1").assertOk().out();
        assertThat(aggregated).contains("\"name\":\"" + plural + "/scale\"", "\"kind\":\"Scale\"",
                "\"name\":\"" + plural + "/status\"", "\"categories\":[\"all\",\"gadgets\"]");
        assertThat(kubectl("get", "crd").assertOk().out()).containsPattern("NAME\\s+CREATED AT")
                .contains(plural + ".example.com");

        // applying a changed CRD again: a new generation, and discovery follows at once
        String n = plural.replaceAll("[^0-9]", "");
        String changed = WIDGETS.formatted(plural, "widget" + n, kindOf(plural), "w" + n + ", ww" + n)
                .replace("- name: v1beta1\n    served: true", "- name: v1beta1\n    served: false");
        cluster.kubectlWithInput(changed, "apply", "--validate=false", "-f", "-").assertOk();
        assertThat(kubectl("get", "crd", plural + ".example.com", "-o", "jsonpath={.metadata.generation}")
                .assertOk().out()).isEqualTo("2");
        await().atMost(Duration.ofSeconds(10)).until(() -> kubectl("api-resources").out()
                .matches("(?s).*" + plural + "\\s+w" + n + ",ww" + n + "\\s+example.com/v1.*"));
        // (other tests' CRDs may serve example.com/v1beta1 too)
        assertThat(kubectl("get", "--raw", "/apis/example.com/v1beta1").out()).doesNotContain("\"" + plural + "\"");
        assertThat(kubectl("get", "--raw", "/apis/example.com/v1beta1/namespaces/" + ns + "/" + plural).err())
                .contains("NotFound");
    }

    @Test
    void defaultValidationAndExplainUseTheCrdSchema() throws Exception {
        String plural = createCrd("vetted");
        String kind = kindOf(plural);
        cluster.kubectlWithInput(widget(kind, "ok", "{color: red, replicas: 2}"), "apply", "-n", ns, "-f", "-")
                .assertOk();
        TestCluster.Result typo = cluster.kubectlWithInput(widget(kind, "typo", "{color: red, replcas: 2}"), "apply",
                "-n", ns, "-f", "-");
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.err()).contains("replcas");
        assertThat(kubectl("get", plural, "typo", "-n", ns).exitCode()).isNotZero();
        assertThat(kubectl("explain", plural).assertOk().out()).contains("KIND:", kind, "spec");
        assertThat(kubectl("explain", plural + ".spec.replicas").assertOk().out()).contains("FIELD:", "replicas",
                "<integer>");
    }

    @Test
    void crudTablesDefaultsAndPruning() throws Exception {
        String plural = createCrd("gizmo");
        String kind = kindOf(plural);
        create(widget(kind, "g1", "{color: red, unknown: dropped, extra: {kept: value}, port: 8080}")).assertOk();
        create(widget(kind, "g2", "{color: blue, replicas: 3, port: http}")).assertOk();
        String table = kubectl("get", plural, "-n", ns).assertOk().out();
        assertThat(table).containsPattern("NAME\\s+COLOR\\s+REPLICAS\\s+READY\\s+AGE")
                .containsPattern("g1\\s+red\\s+1\\s+\\d+s") // missing values print as empty cells
                .containsPattern("g2\\s+blue\\s+3\\s+\\d+s");
        String json = kubectl("get", plural, "g1", "-n", ns, "-o", "json").assertOk().out();
        assertThat(json).contains("\"replicas\": 1", "\"kept\": \"value\"", "\"port\": 8080", "\"generation\": 1")
                .doesNotContain("unknown");
        assertThat(kubectl("get", plural, "-n", ns, "-l", "x!=y", "--field-selector", "metadata.name=g2", "-o",
                "name").assertOk().out()).isEqualTo(plural.substring(0, plural.length() - 1) + ".example.com/g2\n");
        // the other version: same objects, its own apiVersion
        assertThat(kubectl("get", plural + ".v1beta1.example.com", "g1", "-n", ns, "-o",
                "jsonpath={.apiVersion}").assertOk().out()).isEqualTo("example.com/v1beta1");
        assertThat(kubectl("get", "--raw", "/apis/example.com/v1beta1/namespaces/" + ns + "/" + plural)
                .assertOk().out()).contains("\"apiVersion\":\"example.com/v1beta1\"");
        // written through the other version: answered in it, stored in the storage version
        String created = cluster.kubectlWithInput(widget(kind, "g3", "{color: red, anything: kept}")
                .replace("example.com/v1", "example.com/v1beta1"), "create", "--validate=false", "-n", ns, "-o",
                "json", "-f", "-").assertOk().out();
        assertThat(created).contains("\"apiVersion\": \"example.com/v1beta1\"", "\"anything\": \"kept\"");
        String stored = new String(cluster.store().get("/registry/example.com/" + plural + "/" + ns + "/g3").kv()
                .orElseThrow().value(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stored).contains("\"apiVersion\":\"example.com/v1\"");
        kubectl("delete", plural, "g2", "-n", ns).assertOk();
        assertThat(kubectl("get", plural, "-n", ns, "-o", "name").assertOk().out()).doesNotContain("g2");
    }

    @Test
    void invalidCustomResourcesAreRefusedWithFieldPaths() throws Exception {
        String plural = createCrd("doohickey");
        String kind = kindOf(plural);
        TestCluster.Result tooMany = create(widget(kind, "bad", "{color: red, replicas: 20}"));
        assertThat(tooMany.exitCode()).isNotZero();
        assertThat(tooMany.err()).contains("\"bad\" is invalid: spec.replicas: Invalid value: 20: spec.replicas "
                + "in body should be less than or equal to 10");
        TestCluster.Result several = create(widget(kind, "bad2", "{color: pink, size: big, replicas: two}"));
        assertThat(several.err()).contains("spec.color: Unsupported value: \"pink\": supported values: \"red\", "
                        + "\"green\", \"blue\"",
                "spec.size: Invalid value: \"big\": spec.size in body should match '^[0-9]+(cm|m)$'",
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(create(widget(kind, "bad3", "{replicas: 2}")).err()).contains("spec.color: Required value");
        assertThat(kubectl("get", plural, "-n", ns, "-o", "name").assertOk().out()).isEmpty();
    }

    @Test
    void mergePatchStatusSubresourceAndScale() throws Exception {
        String plural = createCrd("sprocket");
        String kind = kindOf(plural);
        create(widget(kind, "s1", "{color: green}")).assertOk();
        kubectl("patch", plural, "s1", "-n", ns, "--type=merge", "-p",
                "{\"spec\":{\"color\":\"blue\"},\"status\":{\"replicas\":7}}").assertOk();
        String afterPatch = kubectl("get", plural, "s1", "-n", ns, "-o", "json").assertOk().out();
        assertThat(afterPatch).contains("\"color\": \"blue\"", "\"generation\": 2").doesNotContain("\"status\"");
        kubectl("patch", plural, "s1", "-n", ns, "--subresource=status", "--type=merge", "-p",
                "{\"spec\":{\"color\":\"red\"},\"status\":{\"replicas\":2,\"selector\":\"app=s1\","
                        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}").assertOk();
        String afterStatus = kubectl("get", plural, "s1", "-n", ns, "-o", "json").assertOk().out();
        assertThat(afterStatus).contains("\"color\": \"blue\"", "\"replicas\": 2", "\"generation\": 2");
        assertThat(kubectl("get", plural, "s1", "-n", ns).assertOk().out())
                .containsPattern("s1\\s+blue\\s+1\\s+True");
        assertThat(kubectl("patch", plural, "s1", "-n", ns, "-p", "{\"spec\":{\"color\":\"red\"}}").err())
                .contains("application/strategic-merge-patch+json is not supported",
                        "the body of the request was in an unknown format - accepted media types include: "
                                + "application/json-patch+json, application/merge-patch+json, "
                                + "application/apply-patch+yaml");
        assertThat(kubectl("patch", plural, "s1", "-n", ns, "--subresource=status", "-p",
                "{\"status\":{\"replicas\":1}}").err()).contains("the body of the request was in an unknown format");

        kubectl("scale", plural + "/s1", "-n", ns, "--replicas=4").assertOk();
        assertThat(kubectl("get", plural, "s1", "-n", ns, "-o", "jsonpath={.spec.replicas} {.metadata.generation}")
                .assertOk().out()).isEqualTo("4 3");
        String scale = kubectl("get", "--raw", "/apis/example.com/v1/namespaces/" + ns + "/" + plural
                + "/s1/scale").assertOk().out();
        assertThat(scale).contains("\"kind\":\"Scale\"", "\"apiVersion\":\"autoscaling/v1\"", "\"replicas\":4",
                "\"replicas\":2", "\"selector\":\"app=s1\"");
        assertThat(kubectl("scale", plural + "/s1", "-n", ns, "--replicas=11").err())
                .contains("spec.replicas: Invalid value: 11");
    }

    @Test
    void shortNamesAndCategories() throws Exception {
        String plural = createCrd("thing");
        String kind = kindOf(plural);
        create(widget(kind, "t1", "{color: red}")).assertOk();
        String shortName = "w" + plural.replaceAll("[^0-9]", "");
        assertThat(kubectl("get", shortName, "-n", ns, "-o", "name").assertOk().out()).contains("/t1");
        assertThat(kubectl("get", "gadgets", "-n", ns, "-o", "name").assertOk().out()).contains("/t1");
        assertThat(kubectl("get", "all", "-n", ns).assertOk().out()).contains(plural.substring(0,
                plural.length() - 1) + ".example.com/t1");
    }

    @Test
    void invalidCrdsAreRefusedWithCauses() throws Exception {
        String bad = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: wrongname.example.com
                spec:
                  group: example.com
                  scope: Everywhere
                  names: {plural: Bads, kind: Bad}
                  versions:
                  - name: v1
                    served: true
                    storage: false
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            properties:
                              size: {type: string}
                              ref: {$ref: '#/definitions/x'}
                """;
        TestCluster.Result result = cluster.kubectlWithInput(bad, "apply", "--validate=false", "-f", "-");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("The CustomResourceDefinition \"wrongname.example.com\" is invalid",
                "metadata.name: Invalid value: \"wrongname.example.com\": must be spec.names.plural+\".\"+spec.group",
                "spec.scope: Unsupported value: \"Everywhere\"",
                "spec.names.plural: Invalid value: \"Bads\"",
                "must have exactly one version marked as storage version",
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value",
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[ref].$ref: Forbidden");
        TestCluster.Result noSchema = cluster.kubectlWithInput("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.example.org}
                spec:
                  group: example.org
                  scope: Cluster
                  names: {plural: things, kind: Thing}
                  versions: [{name: v1, served: true, storage: true}]
                """, "apply", "--validate=false", "-f", "-");
        assertThat(noSchema.err()).contains(
                "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required");
    }

    @Test
    void deletingTheCrdDeletesItsResources() throws Exception {
        String plural = createCrd("gadget");
        String kind = kindOf(plural);
        create(widget(kind, "d1", "{color: red}")).assertOk();
        create(widget(kind, "d2", "{color: red}")).assertOk();
        kubectl("delete", "crd", plural + ".example.com", "--timeout=30s").assertOk();
        assertThat(kubectl("get", "crd", plural + ".example.com").err()).contains("NotFound");
        // the API at the path is gone at once; kubectl's cached discovery learns it when refreshed
        assertThat(kubectl("get", "--raw", "/apis/example.com/v1/namespaces/" + ns + "/" + plural).err())
                .contains("NotFound");
        assertThat(kubectl("api-resources").assertOk().out()).doesNotContain(plural);
        TestCluster.Result gone = kubectl("get", plural, "-n", ns);
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.err()).contains("the server doesn't have a resource type \"" + plural + "\"");
        // a new CRD of the same name starts empty
        cluster.kubectlWithInput(WIDGETS.formatted(plural, plural.substring(0, plural.length() - 1), kind, "zz"),
                "apply", "--validate=false", "-f", "-").assertOk();
        kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/" + plural + ".example.com").assertOk();
        assertThat(kubectl("get", "--raw", "/apis/example.com/v1/namespaces/" + ns + "/" + plural).assertOk().out())
                .contains("\"items\":[]");
    }

    @Test
    void clusterScopedResourcesSelectableFieldsAndWatches() throws Exception {
        cluster.kubectlWithInput("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: knobs.example.org}
                spec:
                  group: example.org
                  scope: Cluster
                  names: {plural: knobs, kind: Knob}
                  versions:
                  - name: v1alpha1
                    served: true
                    storage: true
                    selectableFields: [{jsonPath: .spec.color}]
                    subresources: {status: {}}
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, properties: {color: {type: string}}}
                          status:
                            type: object
                            properties:
                              conditions:
                                type: array
                                items: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """, "apply", "--validate=false", "-f", "-").assertOk();
        kubectl("wait", "--for=condition=Established", "--timeout=20s", "crd/knobs.example.org").assertOk();
        for (String knob : new String[] {"k1:red", "k2:blue"}) {
            String[] parts = knob.split(":");
            cluster.kubectlWithInput("{\"apiVersion\":\"example.org/v1alpha1\",\"kind\":\"Knob\",\"metadata\":"
                    + "{\"name\":\"" + parts[0] + "\"},\"spec\":{\"color\":\"" + parts[1] + "\"}}",
                    "create", "--validate=false", "-f", "-").assertOk();
        }
        assertThat(kubectl("get", "knobs").assertOk().out()).containsPattern("NAME\\s+AGE\\n")
                .containsPattern("k1\\s+\\d+s");
        assertThat(kubectl("get", "knobs", "--field-selector", "spec.color=blue", "-o", "name").assertOk().out())
                .isEqualTo("knob.example.org/k2\n");
        assertThat(kubectl("get", "knobs", "--field-selector", "spec.size=1").err())
                .contains("field label not supported: spec.size");
        Process wait = cluster.kubectlProcess("wait", "--for=condition=Ready", "--timeout=30s", "knob/k1");
        Thread.sleep(1000);
        kubectl("patch", "knob", "k1", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}").assertOk();
        assertThat(wait.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(new String(wait.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("knob.example.org/k1 condition met");
        assertThat(wait.exitValue()).isZero();
    }

    @Test
    void watchWithTablesAndDescribe() throws Exception {
        String plural = createCrd("watcher");
        String kind = kindOf(plural);
        create(widget(kind, "a1", "{color: red}")).assertOk();
        Process watch = cluster.kubectlProcess("get", plural, "-n", ns, "-w");
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                    watch.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(lines.readLine()).containsPattern("NAME\\s+COLOR\\s+REPLICAS\\s+READY\\s+AGE");
            assertThat(lines.readLine()).containsPattern("a1\\s+red\\s+1");
            create(widget(kind, "a2", "{color: green, replicas: 2}")).assertOk();
            assertThat(lines.readLine()).containsPattern("a2\\s+green\\s+2");
        } finally {
            watch.destroy();
        }
        String raw = kubectl("get", "--raw", "/apis/example.com/v1beta1/namespaces/" + ns + "/" + plural
                + "?watch=true&timeoutSeconds=1").assertOk().out();
        assertThat(raw).contains("\"type\":\"ADDED\"", "\"apiVersion\":\"example.com/v1beta1\"",
                "\"replicas\":1");
        assertThat(kubectl("describe", plural, "a1", "-n", ns).assertOk().out())
                .containsPattern("Name:\\s+a1").containsPattern("Color:\\s+red");
    }

    @Test
    void aCrdWaitsForFinalizersOfItsResourcesAndRefusesNewOnes() throws Exception {
        String plural = createCrd("holder");
        String kind = kindOf(plural);
        create(widget(kind, "held", "{color: red}").replace("  name: held",
                "  name: held\n  finalizers: [example.com/hold]")).assertOk();
        kubectl("delete", "crd", plural + ".example.com", "--wait=false").assertOk();
        await().atMost(Duration.ofSeconds(10)).until(() -> kubectl("get", "crd", plural + ".example.com", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Terminating\")].reason}").out()
                .equals("InstanceDeletionCheck"));
        assertThat(kubectl("get", "crd", plural + ".example.com", "-o", "jsonpath={.metadata.finalizers}")
                .assertOk().out()).contains("customresourcecleanup.apiextensions.k8s.io");
        assertThat(kubectl("get", plural, "held", "-n", ns, "-o", "jsonpath={.metadata.deletionTimestamp}")
                .assertOk().out()).isNotEmpty();
        assertThat(create(widget(kind, "late", "{color: red}")).err())
                .contains("create not allowed while custom resource definition is terminating");
        kubectl("patch", plural, "held", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}")
                .assertOk();
        await().atMost(Duration.ofSeconds(10)).until(() -> kubectl("get", "crd", plural + ".example.com").err()
                .contains("NotFound"));
    }

    @Test
    void applyingACustomResourceTwice() throws Exception {
        String plural = createCrd("applied");
        String kind = kindOf(plural);
        cluster.kubectlWithInput(widget(kind, "ap", "{color: red, replicas: 2}"), "apply", "--validate=false", "-n",
                ns, "-f", "-").assertOk();
        assertThat(cluster.kubectlWithInput(widget(kind, "ap", "{color: blue}"), "apply", "--validate=false", "-n",
                ns, "-f", "-").assertOk().out()).contains("configured");
        // replicas left the applied configuration, so apply removed it and the default came back
        assertThat(kubectl("get", plural, "ap", "-n", ns, "-o",
                "jsonpath={.spec.color} {.spec.replicas} {.metadata.generation}").assertOk().out())
                .isEqualTo("blue 1 2");
    }

    @Test
    void customResourcesSurviveARestart() throws Exception {
        String plural = createCrd("survivor");
        create(widget(kindOf(plural), "r1", "{color: green}")).assertOk();
        cluster.stopServer();
        cluster.startServer();
        assertThat(kubectl("get", plural, "r1", "-n", ns, "-o", "jsonpath={.spec.color}").assertOk().out())
                .isEqualTo("green");
    }

    @Test
    void fabric8GenericResources() throws Exception {
        String plural = createCrd("fabric");
        Config config = Config.fromKubeconfig(cluster.kubeconfigText());
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup("example.com")
                    .withVersion("v1").withPlural(plural).withKind(kindOf(plural)).withNamespaced(true).build();
            GenericKubernetesResource created = client.genericKubernetesResources(context).inNamespace(ns)
                    .resource(new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1")
                            .withKind(kindOf(plural)).withNewMetadata().withName("f1").endMetadata()
                            .addToAdditionalProperties("spec", Map.of("color", "red")).build())
                    .create();
            assertThat(created.getMetadata().getUid()).isNotBlank();
            assertThat(client.genericKubernetesResources(context).inNamespace(ns).list().getItems())
                    .extracting(r -> r.getMetadata().getName()).containsExactly("f1");
            await().atMost(Duration.ofSeconds(10)).until(() -> client.genericKubernetesResources(context)
                    .inNamespace(ns).withName("f1").get() != null);
            GenericKubernetesResource read = client.genericKubernetesResources(context).inNamespace(ns)
                    .withName("f1").get();
            assertThat(read.<Integer>get("spec", "replicas")).isEqualTo(1);
        }
    }
}
