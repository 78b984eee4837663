package io.k4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.function.Function;

/**
 * A pod with what the scheduler reads from it over and over computed once: its key, requests, priority, and
 * whatever parsed forms plugins ask for through {@link #derived(Derived)} (affinity terms, ports, ...).
 * The pod object is never modified.
 */
public final class PodInfo {

    /** A value computed from a pod, once per PodInfo; plugins keep these as constants (each gets a slot). */
    public static final class Derived<T> {
        private static final java.util.concurrent.atomic.AtomicInteger SLOTS = new java.util.concurrent.atomic.AtomicInteger();
        private final Function<Pod, T> compute;
        private final int slot = SLOTS.getAndIncrement();

        public Derived(Function<Pod, T> compute) {
            this.compute = compute;
        }
    }

    private final Pod pod;
    private final String key;
    private final Resources requests;
    private final Resources nonZeroRequests;
    private final int priority;
    /**
     * Derived values by slot. Filters read them for every placed pod in every cycle, so a read is an array index, not a
     * map lookup. Two threads computing the same slot at once is harmless: the value is a pure function of the pod.
     */
    private volatile Object[] derived = new Object[0];

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
        Object[] values = derived;
        if (key.slot < values.length && values[key.slot] != null) {
            return (T) values[key.slot];
        }
        T value = key.compute.apply(pod);
        synchronized (this) {
            Object[] current = derived;
            Object[] grown = current.length > key.slot ? current.clone() : java.util.Arrays.copyOf(current, key.slot + 1);
            grown[key.slot] = value;
            derived = grown;
        }
        return value;
    }

    @Override
    public String toString() {
        return key;
    }
}
