package io.k4j.dns.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.k4j.client.InformerHandlers;
import io.k4j.dns.zone.ClusterIndex;
import io.k4j.dns.zone.ServiceEntry;
import io.k4j.dns.zone.ServiceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Informers on Services and EndpointSlices (discovery.k8s.io/v1) keeping a {@link ClusterIndex} current. */
public final class IndexFeeder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IndexFeeder.class);

    private final KubernetesClient client;
    private final ClusterIndex index;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    /** Which service each slice was filed under, so a relabelled or deleted slice leaves its old service. */
    private final Map<String, ServiceKey> sliceOwners = new ConcurrentHashMap<>();

    public IndexFeeder(KubernetesClient client, ClusterIndex index) {
        this.client = client;
        this.index = index;
    }

    /** Starts the informers and returns once their first lists are in the index. */
    public IndexFeeder start() {
        informers.add(client.services().inAnyNamespace().inform(InformerHandlers.of(this::putService, this::removeService), 0));
        informers.add(client.discovery().v1().endpointSlices().inAnyNamespace()
                .inform(InformerHandlers.of(this::putSlice, this::removeSlice), 0));
        return this;
    }

    private void putService(Service service) {
        Optional<ServiceEntry> entry = guarded(service, KubeRecords::service);
        if (entry.isPresent()) {
            index.putService(entry.get());
        } else {
            removeService(service);
        }
    }

    private void removeService(Service service) {
        index.removeService(new ServiceKey(service.getMetadata().getNamespace(), service.getMetadata().getName()));
    }

    private void putSlice(EndpointSlice slice) {
        String id = sliceId(slice);
        Optional<ServiceKey> owner = KubeRecords.owner(slice);
        ServiceKey previous = owner.isPresent() ? sliceOwners.put(id, owner.get()) : sliceOwners.remove(id);
        if (previous != null && !owner.equals(Optional.of(previous))) {
            index.removeSlice(previous, id);
        }
        owner.ifPresent(service -> index.putSlice(service, id, guarded(slice, s -> Optional.of(
                KubeRecords.endpoints(s))).orElse(List.of())));
    }

    private void removeSlice(EndpointSlice slice) {
        String id = sliceId(slice);
        ServiceKey previous = sliceOwners.remove(id);
        if (previous != null) {
            index.removeSlice(previous, id);
        }
    }

    private static String sliceId(EndpointSlice slice) {
        return slice.getMetadata().getNamespace() + "/" + slice.getMetadata().getName();
    }

    /** A conversion that cannot take the component down: a bad object is logged and left out. */
    private static <T, R> Optional<R> guarded(T object, java.util.function.Function<T, Optional<R>> conversion) {
        try {
            return conversion.apply(object);
        } catch (RuntimeException invalid) {
            log.warn("ignoring an object DNS cannot use: {}", invalid.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
