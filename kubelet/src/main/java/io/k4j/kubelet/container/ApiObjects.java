package io.k4j.kubelet.container;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * The API objects containers and volumes are made from. {@link #of} reads them from the API server on each call;
 * a kubelet with informer caches may pass those instead. Empty means not found.
 */
public interface ApiObjects {

    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);

    /** Every service of a namespace. */
    List<Service> services(String namespace);

    Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name);

    Optional<PersistentVolume> persistentVolume(String name);

    static ApiObjects of(KubernetesClient client) {
        return new ApiObjects() {
            @Override
            public Optional<ConfigMap> configMap(String namespace, String name) {
                return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
            }

            @Override
            public Optional<Secret> secret(String namespace, String name) {
                return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
            }

            @Override
            public List<Service> services(String namespace) {
                return client.services().inNamespace(namespace).list().getItems();
            }

            @Override
            public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
                return Optional.ofNullable(client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
            }

            @Override
            public Optional<PersistentVolume> persistentVolume(String name) {
                return Optional.ofNullable(client.persistentVolumes().withName(name).get());
            }
        };
    }
}
