package io.k4j.proxy;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service load balancer like k3s's: every Service of type LoadBalancer without a loadBalancerClass gets the
 * nodes' addresses as status.loadBalancer.ingress, and the service proxy then sends traffic for those addresses
 * and the service's ports to its endpoints. Run once per cluster (in the server). Starts one informer; its
 * resync (every 30 s) picks up changed addresses.
 */
public final class ServiceLoadBalancer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceLoadBalancer.class);
    private static final long RESYNC_MILLIS = 30_000;

    private final KubernetesClient client;
    private final Supplier<List<String>> addresses;
    private SharedIndexInformer<Service> informer;

    /** @param addresses the addresses to publish (e.g. the nodes' InternalIPs), read at every reconcile */
    public ServiceLoadBalancer(KubernetesClient client, Supplier<List<String>> addresses) {
        this.client = Objects.requireNonNull(client);
        this.addresses = Objects.requireNonNull(addresses);
    }

    public synchronized ServiceLoadBalancer start() {
        informer = client.services().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service s) {
                reconcile(s);
            }

            @Override
            public void onUpdate(Service old, Service s) {
                reconcile(s);
            }

            @Override
            public void onDelete(Service s, boolean unknown) {
            }
        }, RESYNC_MILLIS);
        return this;
    }

    private void reconcile(Service service) {
        List<LoadBalancerIngress> desired = desiredIngress(service, addresses.get());
        if (desired == null) {
            return;
        }
        LoadBalancerStatus current = service.getStatus() == null ? null : service.getStatus().getLoadBalancer();
        List<LoadBalancerIngress> have = current == null || current.getIngress() == null ? List.of()
                : current.getIngress();
        if (have.equals(desired)) {
            return;
        }
        Service updated = new ServiceBuilder(service).editOrNewStatus().withNewLoadBalancer().withIngress(desired)
                .endLoadBalancer().endStatus().build();
        try {
            client.services().inNamespace(service.getMetadata().getNamespace()).resource(updated).updateStatus();
            log.info("service {}/{}: load balancer ingress {}", service.getMetadata().getNamespace(),
                    service.getMetadata().getName(), desired.stream().map(LoadBalancerIngress::getIp).toList());
        } catch (KubernetesClientException e) {
            // A conflict means a newer version is on its way to the informer, which reconciles again.
            log.debug("service {}/{}: status update failed: {}", service.getMetadata().getNamespace(),
                    service.getMetadata().getName(), e.getMessage());
        }
    }

    /**
     * The ingress list a Service should have, or null when this load balancer does not manage it (another class).
     * A Service that is no longer of type LoadBalancer gets an empty list, so stale addresses go away.
     */
    static List<LoadBalancerIngress> desiredIngress(Service service, List<String> addresses) {
        if (service.getSpec() == null || service.getSpec().getLoadBalancerClass() != null) {
            return null;
        }
        if (!"LoadBalancer".equals(service.getSpec().getType())) {
            return List.of();
        }
        return addresses.stream().filter(ProxyState::isIpv4).distinct().sorted()
                .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP").build()).toList();
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }
}
