package io.k4j.controllers.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaUsageTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void sumsPrintLikeUpstreamQuantities() {
        assertThat(sum("100m", "250m")).isEqualTo("350m");
        assertThat(sum("500m", "1500m")).isEqualTo("2");
        assertThat(sum("64Mi", "64Mi")).isEqualTo("128Mi");
        assertThat(sum("1Gi", "512Mi")).isEqualTo("1536Mi");
        assertThat(sum("100M", "200M")).isEqualTo("300M");
        assertThat(sum("1", "500m")).isEqualTo("1500m");
        assertThat(sum()).isEqualTo("0");
        assertThat(QuantitySum.format(new BigDecimal("2000"), false)).isEqualTo("2k");
    }

    @Test
    void podsServicesClaimsAndCountsAreMeasuredForWhatTheQuotaNames() {
        Map<String, Quantity> hard = new LinkedHashMap<>();
        for (String resource : List.of("pods", "requests.cpu", "limits.memory", "services", "services.nodeports",
                "persistentvolumeclaims", "requests.storage", "count/deployments.apps", "configmaps", "cpu",
                "example.com/unknown")) {
            hard.put(resource, new Quantity("100"));
        }
        var spec = new ResourceQuotaSpecBuilder().withHard(hard).build();
        List<Pod> pods = List.of(pod("a", "Running", "100m", "64Mi"), pod("b", "Pending", "250m", "128Mi"),
                pod("done", "Succeeded", "1", "1Gi"));
        Map<String, String> used = QuotaUsage.of(spec, objects(pods), NOW);
        assertThat(used).containsExactly(Map.entry("pods", "2"), Map.entry("requests.cpu", "350m"),
                Map.entry("limits.memory", "192Mi"), Map.entry("services", "2"), Map.entry("services.nodeports", "1"),
                Map.entry("persistentvolumeclaims", "1"), Map.entry("requests.storage", "1Gi"),
                Map.entry("count/deployments.apps", "0"), Map.entry("configmaps", "3"), Map.entry("cpu", "350m"));
    }

    @Test
    void scopesSelectPods() {
        var spec = new ResourceQuotaSpecBuilder().withHard(Map.of("pods", new Quantity("10")))
                .withScopes("BestEffort").build();
        Pod bestEffort = new PodBuilder().withNewMetadata().withName("free").endMetadata().withNewSpec()
                .addNewContainer().withName("c").endContainer().endSpec().build();
        Map<String, String> used = QuotaUsage.of(spec, objects(List.of(bestEffort, pod("a", "Running", "1", "1Gi"))),
                NOW);
        assertThat(used).containsEntry("pods", "1");
    }

    private static String sum(String... quantities) {
        QuantitySum sum = new QuantitySum();
        for (String quantity : quantities) {
            sum.add(new Quantity(quantity));
        }
        return sum.toString();
    }

    private static Pod pod(String name, String phase, String cpu, String memory) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewContainer()
                .withName("c").withNewResources().addToRequests("cpu", new Quantity(cpu))
                .addToLimits("memory", new Quantity(memory)).endResources().endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    private static QuotaUsage.Objects objects(List<Pod> pods) {
        return new QuotaUsage.Objects() {
            @Override
            public List<?> list(String countResource) {
                return switch (countResource) {
                    case "configmaps" -> List.of(1, 2, 3);
                    case "deployments.apps" -> List.of();
                    default -> null;
                };
            }

            @Override
            public List<Pod> pods() {
                return pods;
            }

            @Override
            public List<Service> services() {
                return List.of(new ServiceBuilder().withNewSpec().withType("ClusterIP").endSpec().build(),
                        new ServiceBuilder().withNewSpec().withType("NodePort").addNewPort().withPort(80).endPort()
                                .endSpec().build());
            }

            @Override
            public List<PersistentVolumeClaim> claims() {
                return List.of(new PersistentVolumeClaimBuilder().withNewSpec().withNewResources()
                        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build());
            }
        };
    }
}
