package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Admission of pods as kubectl meets it: priority from PriorityClasses, default tolerations; and pods/binding. */
class PodAdmissionTest extends KubectlClusterTest {

    private TestHttp http;

    @Override
    protected String namespacePrefix() {
        return "adm";
    }

    @BeforeAll
    void connect() throws Exception {
        http = new TestHttp(cluster, HttpClient.Version.HTTP_2);
    }

    private static String pod(String name, String extraSpec) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{%s"containers":[{"name":"app","image":"busybox:1.36"}]}}
                """.formatted(name, extraSpec);
    }

    private TestCluster.Result createPod(String name, String extraSpec) throws Exception {
        return cluster.kubectlWithInput(pod(name, extraSpec), "create", "-n", ns, "-f", "-");
    }

    private String podField(String name, String jsonPath) throws Exception {
        return cluster.kubectl("get", "pod", name, "-n", ns, "-o", "jsonpath=" + jsonPath).assertOk().out();
    }

    @Test
    void theSystemPriorityClassesExist() throws Exception {
        assertThat(cluster.kubectl("get", "priorityclasses").assertOk().out())
                .containsPattern("system-cluster-critical\\s+2000000000\\s+false\\s+\\S+\\s+PreemptLowerPriority")
                .containsPattern("system-node-critical\\s+2000001000\\s+false\\s+\\S+\\s+PreemptLowerPriority");
        assertThat(cluster.kubectl("get", "priorityclass", "system-node-critical", "-o",
                "jsonpath={.description}").assertOk().out())
                .isEqualTo("Used for system critical pods that must not be moved from their current node.");
    }

    @Test
    void aPodGetsThePriorityAndPreemptionPolicyOfItsClass() throws Exception {
        cluster.kubectl("create", "priorityclass", ns + "-polite", "--value=1000", "--preemption-policy=Never")
                .assertOk();
        createPod("polite", "\"priorityClassName\":\"" + ns + "-polite\",").assertOk();
        assertThat(podField("polite", "{.spec.priority} {.spec.preemptionPolicy}")).isEqualTo("1000 Never");

        createPod("critical", "\"priorityClassName\":\"system-node-critical\",").assertOk();
        assertThat(podField("critical", "{.spec.priority} {.spec.preemptionPolicy}"))
                .isEqualTo("2000001000 PreemptLowerPriority");

        createPod("plain", "").assertOk();
        assertThat(podField("plain", "{.spec.priority} {.spec.preemptionPolicy} [{.spec.priorityClassName}]"))
                .isEqualTo("0 PreemptLowerPriority []");
    }

    @Test
    void podsThatNameNoClassOrAWrongPriorityAreForbidden() throws Exception {
        TestCluster.Result unknown = createPod("lost", "\"priorityClassName\":\"nope\",");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("Error from server (Forbidden): error when creating \"STDIN\": "
                + "pods \"lost\" is forbidden: no PriorityClass with name nope was found");

        TestCluster.Result ownPriority = createPod("pushy", "\"priority\":5,");
        assertThat(ownPriority.exitCode()).isNotZero();
        assertThat(ownPriority.err()).contains("pods \"pushy\" is forbidden: the integer value of priority (5) must "
                + "not be provided in pod spec; priority admission controller computed 0 from the given "
                + "PriorityClass name");
        assertThat(cluster.kubectl("get", "pods", "-n", ns, "-o", "name").assertOk().out()).isEmpty();
    }

    @Test
    void theGlobalDefaultClassAppliesToPodsThatNameNone() throws Exception {
        String fallback = ns + "-fallback";
        cluster.kubectl("create", "priorityclass", fallback, "--value=7", "--global-default").assertOk();
        try {
            createPod("defaulted", "").assertOk();
            assertThat(podField("defaulted", "{.spec.priorityClassName} {.spec.priority} {.spec.preemptionPolicy}"))
                    .isEqualTo(fallback + " 7 PreemptLowerPriority");

            TestCluster.Result second = cluster.kubectl("create", "priorityclass", ns + "-second", "--value=8",
                    "--global-default");
            assertThat(second.exitCode()).isNotZero();
            assertThat(second.err()).contains("priorityclasses.scheduling.k8s.io \"" + ns + "-second\" is forbidden: "
                    + "PriorityClass " + fallback + " is already marked as default. Only one default can exist");

            TestCluster.Result tooHigh = cluster.kubectl("create", "priorityclass", ns + "-high",
                    "--value=1000000001");
            assertThat(tooHigh.exitCode()).isNotZero();
            assertThat(tooHigh.err()).contains("value: Forbidden: maximum allowed value of a user defined priority "
                    + "is 1000000000");
        } finally {
            cluster.kubectl("delete", "priorityclass", fallback).assertOk();
        }
    }

    @Test
    void podsTolerateUnhealthyNodesForFiveMinutes() throws Exception {
        createPod("tolerant", "").assertOk();
        JsonNode tolerations = Json.parse(podField("tolerant", "{.spec.tolerations}").getBytes());
        assertThat(tolerations).isEqualTo(Json.parse("""
                [{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute",
                  "tolerationSeconds":300},
                 {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute",
                  "tolerationSeconds":300}]
                """.getBytes()));
        // As upstream, what admission adds belongs to no field manager.
        assertThat(podField("tolerant", "{.metadata.managedFields[*].fieldsV1}"))
                .contains("f:containers").doesNotContain("f:tolerations", "f:priority");

        createPod("patient", """
                "tolerations":[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute",
                                "tolerationSeconds":3600}],""").assertOk();
        assertThat(podField("patient", "{range .spec.tolerations[*]}{.key}={.tolerationSeconds} {end}"))
                .isEqualTo("node.kubernetes.io/unreachable=3600 node.kubernetes.io/not-ready=300 ");
    }

    @Test
    void aBindingSetsTheNodeAndCopiesItsAnnotations() throws Exception {
        createPod("bound", "").assertOk();
        HttpResponse<String> bound = http.post("/api/v1/namespaces/" + ns + "/pods/bound/binding", "application/json",
                """
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"bound","annotations":{"why":"least loaded"}},
                 "target":{"apiVersion":"v1","kind":"Node","name":"node-1"}}
                """);
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);
        assertThat(podField("bound", "{.spec.nodeName} {.metadata.annotations.why}")).isEqualTo("node-1 least loaded");
    }
}
