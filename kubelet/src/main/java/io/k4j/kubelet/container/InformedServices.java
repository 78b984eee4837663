package io.k4j.kubelet.container;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Optional;

/**
 * API objects whose services come from an informer over every namespace, as upstream's kubelet reads them through a
 * service lister: each container start needs its namespace's and the default namespace's services for the service
 * environment variables, and two LISTs per pod start cost the API server more than the rest of the start's requests.
 * Until the informer has synced, and for everything else, {@code live} answers.
 */
public final class InformedServices implements ApiObjects {

    private final ApiObjects live;
    private final SharedIndexInformer<Service> services;

    /** {@code services} is started and closed by the caller. */
    public InformedServices(ApiObjects live, SharedIndexInformer<Service> services) {
        this.live = live;
        this.services = services;
    }

    @Override
    public List<Service> services(String namespace) {
        if (!services.hasSynced()) {
            return live.services(namespace);
        }
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return live.configMap(namespace, name);
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return live.secret(namespace, name);
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return live.persistentVolumeClaim(namespace, name);
    }

    @Override
    public Optional<PersistentVolume> persistentVolume(String name) {
        return live.persistentVolume(name);
    }
}
