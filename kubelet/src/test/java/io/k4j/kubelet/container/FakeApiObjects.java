package io.k4j.kubelet.container;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory API objects for unit tests. */
public final class FakeApiObjects implements ApiObjects {

    private final Map<String, HasMetadata> objects = new LinkedHashMap<>();

    public FakeApiObjects add(HasMetadata object) {
        objects.put(key(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName()), object);
        return this;
    }

    public FakeApiObjects configMap(String namespace, String name, Map<String, String> data) {
        return add(new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(data).build());
    }

    public FakeApiObjects secret(String namespace, String name, Map<String, String> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return add(new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(encoded).build());
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    @SuppressWarnings("unchecked")
    private <T> Optional<T> get(String kind, String namespace, String name) {
        return Optional.ofNullable((T) objects.get(key(kind, namespace, name)));
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return get("ConfigMap", namespace, name);
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return get("Secret", namespace, name);
    }

    @Override
    public List<Service> services(String namespace) {
        List<Service> services = new ArrayList<>();
        objects.values().forEach(o -> {
            if (o instanceof Service s && namespace.equals(s.getMetadata().getNamespace())) {
                services.add(s);
            }
        });
        return services;
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return get("PersistentVolumeClaim", namespace, name);
    }

    @Override
    public Optional<PersistentVolume> persistentVolume(String name) {
        return get("PersistentVolume", null, name);
    }
}
