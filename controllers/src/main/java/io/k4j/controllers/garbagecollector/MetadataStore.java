package io.k4j.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps only what the collector reads (identity, owners, deletion, finalizers), so that
 * watching every resource costs little more than upstream's metadata-only informers.
 */
final class MetadataStore implements ItemStore<GenericKubernetesResource> {

    private final ConcurrentHashMap<String, GenericKubernetesResource> items = new ConcurrentHashMap<>();

    @Override
    public String getKey(GenericKubernetesResource object) {
        ObjectMeta meta = object.getMetadata();
        return meta.getNamespace() == null || meta.getNamespace().isEmpty() ? meta.getName()
                : meta.getNamespace() + "/" + meta.getName();
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        return items.put(key, slim(object));
    }

    static GenericKubernetesResource slim(GenericKubernetesResource object) {
        ObjectMeta meta = object.getMetadata();
        GenericKubernetesResource slim = new GenericKubernetesResource();
        slim.setApiVersion(object.getApiVersion());
        slim.setKind(object.getKind());
        slim.setMetadata(new ObjectMetaBuilder().withName(meta.getName()).withNamespace(meta.getNamespace())
                .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion())
                .withOwnerReferences(meta.getOwnerReferences()).withFinalizers(meta.getFinalizers())
                .withDeletionTimestamp(meta.getDeletionTimestamp()).build());
        return slim;
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        return items.get(key);
    }
}
