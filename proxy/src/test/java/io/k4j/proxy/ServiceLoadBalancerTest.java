package io.k4j.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.k4j.kubelet.testing.TestApiServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceLoadBalancerTest {

    private static Service service(String type, String lbClass) {
        return new ServiceBuilder().withNewMetadata().withNamespace("default").withName("lb").endMetadata()
                .withNewSpec().withType(type).withLoadBalancerClass(lbClass).addNewPort().withPort(80).endPort()
                .endSpec().build();
    }

    @Test
    void desiredIngressIsTheNodeAddresses() {
        assertThat(ServiceLoadBalancer.desiredIngress(service("LoadBalancer", null),
                List.of("192.168.1.11", "192.168.1.10", "fd00::1", "192.168.1.10")))
                .extracting(LoadBalancerIngress::getIp).containsExactly("192.168.1.10", "192.168.1.11");
        assertThat(ServiceLoadBalancer.desiredIngress(service("ClusterIP", null), List.of("192.168.1.10"))).isEmpty();
        assertThat(ServiceLoadBalancer.desiredIngress(service("LoadBalancer", "example.com/other"),
                List.of("192.168.1.10"))).isNull();
    }

    @Test
    void publishesTheAddressesInTheServiceStatus() throws Exception {
        try (TestApiServer api = TestApiServer.start();
                ServiceLoadBalancer lb = new ServiceLoadBalancer(api.client(), () -> List.of("192.168.1.10"))) {
            lb.start();
            api.client().services().inNamespace("default").resource(service("LoadBalancer", null)).create();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Service s = api.client().services().inNamespace("default").withName("lb").get();
                assertThat(s.getStatus().getLoadBalancer().getIngress()).extracting(LoadBalancerIngress::getIp)
                        .containsExactly("192.168.1.10");
            });
        }
    }
}
