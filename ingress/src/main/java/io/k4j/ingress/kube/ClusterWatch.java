package io.k4j.ingress.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.k4j.ingress.routing.ClusterState;
import io.k4j.ingress.routing.SecretRef;
import java.util.List;

/**
 * Informers on what the ingress needs (Ingresses, IngressClasses, Services, EndpointSlices, Secrets); any change
 * calls {@code onChange}. The constructor returns once each has listed (fabric8's inform() waits for that);
 * snapshots are read from the informers' caches.
 */
public final class ClusterWatch implements AutoCloseable {

    private final SharedIndexInformer<Ingress> ingresses;
    private final SharedIndexInformer<IngressClass> ingressClasses;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> endpointSlices;
    private final SharedIndexInformer<Secret> secrets;

    public ClusterWatch(KubernetesClient client, Runnable onChange) {
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                onChange.run();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                onChange.run();
            }

            @Override
            public void onDelete(HasMetadata object, boolean finalStateUnknown) {
                onChange.run();
            }
        };
        this.ingresses = client.network().v1().ingresses().inAnyNamespace().inform(cast(handler));
        this.ingressClasses = client.network().v1().ingressClasses().inform(cast(handler));
        this.services = client.services().inAnyNamespace().inform(cast(handler));
        this.endpointSlices = client.discovery().v1().endpointSlices().inAnyNamespace().inform(cast(handler));
        this.secrets = client.secrets().inAnyNamespace().inform(cast(handler));
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    public ClusterState snapshot() {
        return new ClusterState(ingresses.getStore().list(), ingressClasses.getStore().list(),
                services.getStore().list(), endpointSlices.getStore().list());
    }

    public Secret secret(SecretRef ref) {
        return secrets.getStore().getByKey(ref.namespace() + "/" + ref.name());
    }

    public Ingress ingress(String key) {
        return ingresses.getStore().getByKey(key);
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> informer : List.of(ingresses, ingressClasses, services, endpointSlices,
                secrets)) {
            informer.close();
        }
    }
}
