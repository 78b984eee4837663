package io.k4j.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.k4j.controllers.api.ObjectKey;
import io.k4j.controllers.api.Watches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The selectors of every Service by namespace, kept current from Service events, so that a pod event can name the
 * services that select the pod (upstream's getPodServiceMemberships).
 */
public final class ServiceIndex implements Watches.Listener<Service> {

    private final Map<String, Map<String, Map<String, String>>> selectors = new ConcurrentHashMap<>();

    @Override
    public void on(Watches.Event event, Service oldObject, Service service) {
        String namespace = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        Map<String, String> selector = ServicePods.selector(service);
        if (event == Watches.Event.DELETED || selector == null) {
            Map<String, Map<String, String>> inNamespace = selectors.get(namespace);
            if (inNamespace != null) {
                inNamespace.remove(name);
            }
        } else {
            selectors.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>()).put(name, Map.copyOf(selector));
        }
    }

    /** The services selecting this pod. */
    public List<ObjectKey> servicesOf(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        List<ObjectKey> keys = new ArrayList<>();
        selectors.getOrDefault(namespace, Map.of()).forEach((name, selector) -> {
            if (ServicePods.selects(selector, pod)) {
                keys.add(new ObjectKey(namespace, name));
            }
        });
        return keys;
    }
}
