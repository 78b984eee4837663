package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Fixtures.headers;
import static io.k4j.apiserver.table.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OtherTablesTest {

    private static final String META = "\"name\":\"x\",\"creationTimestamp\":\"2025-01-01T11:00:00Z\"";

    @Test
    void ingress() {
        assertThat(headers("networking.k8s.io", "Ingress")).containsExactly("NAME", "CLASS", "HOSTS", "ADDRESS",
                "PORTS", "AGE");
        assertThat(row("networking.k8s.io", "Ingress", """
                {"metadata":{%s},"spec":{"ingressClassName":"nginx","tls":[{"hosts":["a.example.com"]}],
                  "rules":[{"host":"a.example.com"},{},{"host":"b.example.com"},{"host":"c.example.com"},
                           {"host":"d.example.com"}]},
                 "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}""".formatted(META)))
                .containsExactly("x", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...",
                        "203.0.113.10", "80, 443", "60m");
        assertThat(row("networking.k8s.io", "Ingress", """
                {"metadata":{%s},"spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}"""
                .formatted(META)))
                .containsExactly("x", "<none>", "*", "", "80", "60m");
    }

    @Test
    void ingressClassAndNetworkPolicy() {
        assertThat(row("networking.k8s.io", "IngressClass", """
                {"metadata":{%s},"spec":{"controller":"k8s.io/ingress-nginx",
                  "parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb"}}}"""
                .formatted(META)))
                .containsExactly("x", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb", "60m");
        assertThat(row("networking.k8s.io", "IngressClass", """
                {"metadata":{%s},"spec":{"controller":"c"}}""".formatted(META)).get(2)).isEqualTo("<none>");
        assertThat(row("networking.k8s.io", "NetworkPolicy", """
                {"metadata":{%s},"spec":{"podSelector":{"matchLabels":{"role":"db"}}}}""".formatted(META)))
                .containsExactly("x", "role=db", "60m");
        assertThat(row("networking.k8s.io", "NetworkPolicy", """
                {"metadata":{%s},"spec":{"podSelector":{}}}""".formatted(META)).get(1)).isEqualTo("<none>");
    }

    @Test
    void endpointSlice() {
        assertThat(headers("discovery.k8s.io", "EndpointSlice")).containsExactly("NAME", "ADDRESSTYPE", "PORTS",
                "ENDPOINTS", "AGE");
        assertThat(row("discovery.k8s.io", "EndpointSlice", """
                {"metadata":{%s},"addressType":"IPv4",
                 "ports":[{"name":"http","port":80},{"name":"named"},{}],
                 "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2","10.0.0.3"]},
                              {"addresses":["10.0.0.4"]}]}""".formatted(META)))
                .containsExactly("x", "IPv4", "80,named,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "60m");
        assertThat(row("discovery.k8s.io", "EndpointSlice", """
                {"metadata":{%s},"addressType":"IPv6"}""".formatted(META)))
                .containsExactly("x", "IPv6", "<unset>", "<unset>", "60m");
    }

    @Test
    void leaseAndPodDisruptionBudget() {
        assertThat(row("coordination.k8s.io", "Lease", """
                {"metadata":{%s},"spec":{"holderIdentity":"cp-1_1234","leaseDurationSeconds":15}}""".formatted(META)))
                .containsExactly("x", "cp-1_1234", "60m");
        assertThat(headers("policy", "PodDisruptionBudget")).containsExactly("NAME", "MIN AVAILABLE",
                "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE");
        assertThat(row("policy", "PodDisruptionBudget", """
                {"metadata":{%s},"spec":{"minAvailable":2},"status":{"disruptionsAllowed":1}}""".formatted(META)))
                .containsExactly("x", "2", "N/A", 1L, "60m");
        assertThat(row("policy", "PodDisruptionBudget", """
                {"metadata":{%s},"spec":{"maxUnavailable":"25%%"}}""".formatted(META)))
                .containsExactly("x", "N/A", "25%", 0L, "60m");
    }

    @Test
    void horizontalPodAutoscalerV2() {
        assertThat(headers("autoscaling", "HorizontalPodAutoscaler")).containsExactly("NAME", "REFERENCE", "TARGETS",
                "MINPODS", "MAXPODS", "REPLICAS", "AGE");
        assertThat(row("autoscaling", "HorizontalPodAutoscaler", """
                {"metadata":{%s},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                  "minReplicas":2,"maxReplicas":10,
                  "metrics":[{"type":"Resource","resource":{"name":"cpu",
                               "target":{"type":"Utilization","averageUtilization":80}}},
                             {"type":"Resource","resource":{"name":"memory",
                               "target":{"type":"AverageValue","averageValue":"500Mi"}}}]},
                 "status":{"currentReplicas":3,"currentMetrics":[
                   {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":45,"averageValue":"90m"}}}]}}"""
                .formatted(META)))
                .containsExactly("x", "Deployment/web", "cpu: 45%/80%, memory: <unknown>/500Mi", "2", 10L, 3L, "60m");
        assertThat(row("autoscaling", "HorizontalPodAutoscaler", """
                {"metadata":{%s},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":4,
                  "metrics":[{"type":"Pods","pods":{"metric":{"name":"rps"},"target":{"type":"AverageValue","averageValue":"1k"}}},
                             {"type":"External","external":{"metric":{"name":"queue"},
                               "target":{"type":"AverageValue","averageValue":"30"}}},
                             {"type":"Object","object":{"metric":{"name":"hits"},"target":{"type":"Value","value":"10k"}}}]},
                 "status":{"currentMetrics":[{"type":"Pods","pods":{"metric":{"name":"rps"},"current":{"averageValue":"1200m"}}}]}}"""
                .formatted(META)).subList(2, 4))
                .containsExactly("1200m/1k, <unknown>/30 (avg) + 1 more...", "1");
    }

    @Test
    void horizontalPodAutoscalerV1() {
        assertThat(row("autoscaling", "HorizontalPodAutoscaler", """
                {"metadata":{%s},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,
                  "maxReplicas":5,"targetCPUUtilizationPercentage":70},
                 "status":{"currentReplicas":1,"currentCPUUtilizationPercentage":12}}""".formatted(META)))
                .containsExactly("x", "Deployment/web", "cpu: 12%/70%", "1", 5L, 1L, "60m");
        assertThat(row("autoscaling", "HorizontalPodAutoscaler", """
                {"metadata":{%s},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5}}"""
                .formatted(META)).get(2)).isEqualTo("<none>");
    }

    @Test
    void roleBindings() {
        assertThat(headers("rbac.authorization.k8s.io", "ClusterRoleBinding")).containsExactly("NAME", "ROLE", "AGE",
                "USERS*", "GROUPS*", "SERVICEACCOUNTS*");
        assertThat(row("rbac.authorization.k8s.io", "RoleBinding", """
                {"metadata":{%s},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
                 "subjects":[{"kind":"User","name":"alice"},{"kind":"Group","name":"devs"},
                   {"kind":"ServiceAccount","namespace":"ci","name":"runner"},{"kind":"User","name":"bob"}]}"""
                .formatted(META)))
                .containsExactly("x", "ClusterRole/view", "60m", "alice, bob", "devs", "ci/runner");
    }

    @Test
    void priorityAndStorageClasses() {
        assertThat(headers("scheduling.k8s.io", "PriorityClass")).containsExactly("NAME", "VALUE", "GLOBAL-DEFAULT",
                "AGE", "PREEMPTIONPOLICY");
        assertThat(row("scheduling.k8s.io", "PriorityClass", """
                {"metadata":{%s},"value":2000001000,"globalDefault":false,"preemptionPolicy":"PreemptLowerPriority"}"""
                .formatted(META)))
                .containsExactly("x", 2000001000L, false, "60m", "PreemptLowerPriority");
        assertThat(headers("storage.k8s.io", "StorageClass")).containsExactly("NAME", "PROVISIONER", "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE");
        assertThat(row("storage.k8s.io", "StorageClass", """
                {"metadata":{%s,"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
                 "provisioner":"rancher.io/local-path","volumeBindingMode":"WaitForFirstConsumer"}""".formatted(META)))
                .containsExactly("x (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "60m");
        assertThat(row("storage.k8s.io", "StorageClass", """
                {"metadata":{%s},"provisioner":"csi","reclaimPolicy":"Retain","allowVolumeExpansion":true}"""
                .formatted(META)))
                .containsExactly("x", "csi", "Retain", "Immediate", true, "60m");
    }

    @Test
    void webhookConfigurations() {
        assertThat(row("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", """
                {"metadata":{%s},"webhooks":[{"name":"a.example.com"},{"name":"b.example.com"}]}""".formatted(META)))
                .containsExactly("x", 2L, "60m");
    }
}
