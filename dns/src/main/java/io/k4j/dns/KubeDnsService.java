package io.k4j.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Service kube-system/kube-dns (the cluster DNS address pods' resolv.conf names, no selector) and the
 * EndpointSlice pointing it at the node where {@link ClusterDns} listens, so the service proxy forwards the DNS
 * address to it. {@link #ensure} is idempotent: it creates what is missing and corrects what differs (a new node IP,
 * port or cluster IP).
 */
public final class KubeDnsService {

    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "kube-dns";
    public static final String SLICE_NAME = "kube-dns-k4j";
    public static final String MANAGED_BY = "k4j.io/cluster-dns";
    private static final Logger log = LoggerFactory.getLogger(KubeDnsService.class);

    private KubeDnsService() {
    }

    /**
     * Makes the kube-dns Service answer on {@code clusterIp} port 53 (UDP "dns", TCP "dns-tcp") and forward to
     * {@code nodeIp}:{@code port}.
     */
    public static void ensure(KubernetesClient client, String clusterIp, InetAddress nodeIp, int port) {
        Service desired = service(clusterIp, port);
        var services = client.services().inNamespace(NAMESPACE);
        Service existing = services.withName(NAME).get();
        if (existing == null) {
            services.resource(desired).create();
            log.info("created service {}/{} at {}", NAMESPACE, NAME, clusterIp);
        } else if (!clusterIp.equals(existing.getSpec().getClusterIP())) {
            // clusterIP is immutable: the only way to move the service is to recreate it.
            log.warn("service {}/{} has cluster IP {}, recreating it at {}", NAMESPACE, NAME,
                    existing.getSpec().getClusterIP(), clusterIp);
            services.withName(NAME).delete();
            services.resource(desired).create();
        } else if (!sameShape(existing, desired)) {
            services.withName(NAME).edit(current -> new ServiceBuilder(current)
                    .editMetadata().addToLabels(desired.getMetadata().getLabels()).endMetadata()
                    .editSpec().withPorts(desired.getSpec().getPorts()).withSelector(null).endSpec().build());
            log.info("updated service {}/{}", NAMESPACE, NAME);
        }
        EndpointSlice slice = slice(nodeIp, port);
        var slices = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE);
        EndpointSlice current = slices.withName(SLICE_NAME).get();
        if (current == null) {
            slices.resource(slice).create();
            log.info("created endpoint slice {}/{} -> {}:{}", NAMESPACE, SLICE_NAME, nodeIp.getHostAddress(), port);
        } else if (!Objects.equals(current.getEndpoints(), slice.getEndpoints())
                || !Objects.equals(current.getPorts(), slice.getPorts())
                || !Objects.equals(current.getAddressType(), slice.getAddressType())
                || !current.getMetadata().getLabels().entrySet()
                        .containsAll(slice.getMetadata().getLabels().entrySet())) {
            slices.withName(SLICE_NAME).edit(existingSlice -> new EndpointSliceBuilder(existingSlice)
                    .editMetadata().addToLabels(slice.getMetadata().getLabels()).endMetadata()
                    .withAddressType(slice.getAddressType()).withEndpoints(slice.getEndpoints())
                    .withPorts(slice.getPorts()).build());
            log.info("updated endpoint slice {}/{} -> {}:{}", NAMESPACE, SLICE_NAME, nodeIp.getHostAddress(), port);
        }
    }

    static Service service(String clusterIp, int targetPort) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(NAME)
                .withLabels(Map.of("k8s-app", "kube-dns", "kubernetes.io/name", "k4j-dns")).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp)
                .withPorts(servicePort("dns", "UDP", targetPort), servicePort("dns-tcp", "TCP", targetPort))
                .endSpec().build();
    }

    private static ServicePort servicePort(String name, String protocol, int targetPort) {
        return new ServicePortBuilder().withName(name).withProtocol(protocol).withPort(53)
                .withNewTargetPort(targetPort).build();
    }

    static EndpointSlice slice(InetAddress nodeIp, int port) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(SLICE_NAME)
                .withLabels(Map.of("kubernetes.io/service-name", NAME,
                        "endpointslice.kubernetes.io/managed-by", MANAGED_BY))
                .endMetadata()
                .withAddressType(nodeIp instanceof Inet6Address ? "IPv6" : "IPv4")
                .addNewEndpoint().withAddresses(nodeIp.getHostAddress())
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .endEndpoint()
                .withPorts(List.of(slicePort("dns", "UDP", port), slicePort("dns-tcp", "TCP", port)))
                .build();
    }

    private static EndpointPort slicePort(String name, String protocol, int port) {
        return new EndpointPortBuilder().withName(name).withProtocol(protocol).withPort(port).build();
    }

    private static boolean sameShape(Service existing, Service desired) {
        var spec = existing.getSpec();
        boolean samePorts = spec.getPorts() != null && spec.getPorts().size() == 2
                && desired.getSpec().getPorts().stream().allMatch(port -> spec.getPorts().stream().anyMatch(have ->
                        port.getName().equals(have.getName()) && port.getProtocol().equals(have.getProtocol())
                                && port.getPort().equals(have.getPort())
                                && port.getTargetPort().equals(have.getTargetPort())));
        boolean labelled = existing.getMetadata().getLabels() != null && existing.getMetadata().getLabels()
                .entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
        return samePorts && labelled && (spec.getSelector() == null || spec.getSelector().isEmpty());
    }
}
