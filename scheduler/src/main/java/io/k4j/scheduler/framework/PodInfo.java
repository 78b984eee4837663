package io.k4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A pod with what the scheduler reads from it over and over computed once: its key, requests, priority, and
 * whatever parsed forms plugins ask for through {@link #derived(Derived)} (affinity terms, ports, ...).
 * The pod object is never modified.
 */
public final class PodInfo {

    /** A value computed from a pod, once per PodInfo; plugins keep these as constants. */
    public static final class Derived<T> {
        private final Function<Pod, T> compute;

        public Derived(Function<Pod, T> compute) {
            this.compute = compute;
        }
    }

    private final Pod pod;
    private final String key;
    private final Resources requests;
    private final Resources nonZeroRequests;
    private final int priority;
    private final ConcurrentHashMap<Derived<?>, Object> derived = new ConcurrentHashMap<>(4);

    public PodInfo(Pod pod) {
        this.pod = pod;
        this.key = key(pod);
        this.requests = Resources.podRequests(pod, false);
        this.nonZeroRequests = Resources.podRequests(pod, true);
        Integer p = pod.getSpec().getPriority();
        this.priority = p == null ? 0 : p;
    }

    public static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    public Pod pod() {
        return pod;
    }

    /** namespace/name */
    public String key() {
        return key;
    }

    public String namespace() {
        return pod.getMetadata().getNamespace();
    }

    public String name() {
        return pod.getMetadata().getName();
    }

    public String uid() {
        return pod.getMetadata().getUid();
    }

    public String nodeName() {
        return pod.getSpec().getNodeName();
    }

    /** Requests as the fit check counts them (pods = 1 is not included). */
    public Resources requests() {
        return requests;
    }

    /** Requests with the scorers' defaults for containers that ask for no CPU or memory. */
    public Resources nonZeroRequests() {
        return nonZeroRequests;
    }

    public int priority() {
        return priority;
    }

    @SuppressWarnings("unchecked")
    public <T> T derived(Derived<T> key) {
        Object value = derived.get(key);
        if (value == null) {
            value = key.compute.apply(pod);
            derived.putIfAbsent(key, value);
        }
        return (T) value;
    }

    @Override
    public String toString() {
        return key;
    }
}
