package io.k4j.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.k4j.proxy.rules.EndpointInfo;
import io.k4j.proxy.rules.ServicePortInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyStateTest {

    private final ProxyState state = new ProxyState();

    private static ServiceBuilder service(String name, String type) {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withType(type).withClusterIP("10.43.0.20")
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").withNodePort(30080).endPort()
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
                .endSpec();
    }

    private static EndpointSlice slice(String name, String service, Boolean ready, Boolean serving,
            Boolean terminating, String... ips) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .addToLabels("kubernetes.io/service-name", service).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
        for (String ip : ips) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withNodeName("node-a").withNewConditions()
                    .withReady(ready).withServing(serving).withTerminating(terminating).endConditions().build());
        }
        return b.build();
    }

    @Test
    void servicesAndSlicesJoinByLabelAndPortName() {
        state.putService(service("web", "NodePort").build());
        state.putSlice(slice("web-1", "web", true, true, false, "10.42.0.11"));
        state.putSlice(slice("web-2", "web", null, null, null, "10.42.0.12", "10.42.0.11"));
        state.putSlice(slice("other-1", "other", true, true, false, "10.42.0.99"));

        List<ServicePortInfo> ports = state.snapshot();
        assertThat(ports).extracting(ServicePortInfo::servicePortName).containsExactly("ns/web:http", "ns/web:dns");
        ServicePortInfo http = ports.get(0);
        assertThat(http.nodePort()).isEqualTo(30080);
        assertThat(http.endpoints()).containsExactly(EndpointInfo.ready("10.42.0.11", 8080, "node-a"),
                EndpointInfo.ready("10.42.0.12", 8080, "node-a"));
        // No slice names the UDP port, so it has no endpoints (and will be rejected).
        assertThat(ports.get(1).endpoints()).isEmpty();
        assertThat(ports.get(1).nodePort()).isZero();
    }

    @Test
    void updatesAndDeletesAreTracked() {
        Service web = service("web", "ClusterIP").build();
        state.putService(web);
        state.putSlice(slice("web-1", "web", true, true, false, "10.42.0.11", "10.42.0.12"));
        long g = state.generation();
        state.putSlice(slice("web-1", "web", false, true, true, "10.42.0.11"));
        assertThat(state.generation()).isGreaterThan(g);
        assertThat(state.snapshot().get(0).endpoints())
                .containsExactly(new EndpointInfo("10.42.0.11", 8080, false, true, true, "node-a"));
        state.removeSlice(slice("web-1", "web", true, true, false));
        assertThat(state.snapshot().get(0).endpoints()).isEmpty();
        state.removeService(web);
        assertThat(state.snapshot()).isEmpty();
    }

    @Test
    void servicesTheProxyDoesNotHandleAreSkipped() {
        state.putService(service("headless", "ClusterIP").editSpec().withClusterIP("None").endSpec().build());
        state.putService(service("ext", "ExternalName").editSpec().withClusterIP(null).withExternalName("example.com")
                .endSpec().build());
        state.putService(service("v6", "ClusterIP").editSpec().withClusterIP("fd00::1").endSpec().build());
        state.putService(service("other-proxy", "ClusterIP").editMetadata()
                .addToLabels("service.kubernetes.io/service-proxy-name", "someone-else").endMetadata().build());
        state.putService(new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("broken").endMetadata()
                .build());
        assertThat(state.snapshot()).isEmpty();
    }

    @Test
    void loadBalancerPoliciesAndAffinityAreRead() {
        state.putService(service("lb", "LoadBalancer").editSpec().withExternalTrafficPolicy("Local")
                .withInternalTrafficPolicy("Local").withSessionAffinity("ClientIP").withNewSessionAffinityConfig()
                .withNewClientIP().withTimeoutSeconds(300).endClientIP().endSessionAffinityConfig()
                .withExternalIPs("192.168.5.5", "fd00::5").endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("192.168.1.10").endIngress()
                .addNewIngress().withIp("192.168.1.11").withIpMode("Proxy").endIngress().endLoadBalancer()
                .endStatus().build());
        ServicePortInfo http = state.snapshot().get(0);
        assertThat(http.loadBalancerIps()).containsExactly("192.168.1.10");
        assertThat(http.externalIps()).containsExactly("192.168.5.5");
        assertThat(http.externalPolicyLocal()).isTrue();
        assertThat(http.internalPolicyLocal()).isTrue();
        assertThat(http.affinityTimeoutSeconds()).isEqualTo(300);
    }

    @Test
    void externalPolicyOnlyCountsForExternallyReachableServices() {
        state.putService(service("plain", "ClusterIP").editSpec().withExternalTrafficPolicy("Local")
                .withSessionAffinity("ClientIP").endSpec().build());
        ServicePortInfo http = state.snapshot().get(0);
        assertThat(http.externalPolicyLocal()).isFalse();
        assertThat(http.nodePort()).isZero();
        assertThat(http.affinityTimeoutSeconds()).isEqualTo(10800);
    }

    @Test
    void aMalformedServiceIsSkippedWithoutHidingTheOthers() {
        state.putService(new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("bad").endMetadata()
                .withNewSpec().withClusterIP("10.43.0.21").addNewPort().withName("p").endPort().endSpec().build());
        state.putService(service("web", "ClusterIP").build());
        assertThat(state.snapshot()).extracting(ServicePortInfo::name).containsOnly("web");
        assertThat(state.snapshot()).hasSize(2);
    }
}
