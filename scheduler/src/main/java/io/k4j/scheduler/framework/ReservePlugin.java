package io.k4j.scheduler.framework;

/** Claims what the pod will use on the chosen node before binding; unreserve undoes it if the cycle fails later. */
public interface ReservePlugin extends Plugin {
    Status reserve(CycleState state, PodInfo pod, String nodeName);

    void unreserve(CycleState state, PodInfo pod, String nodeName);
}
