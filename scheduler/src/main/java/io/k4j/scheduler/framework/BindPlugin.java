package io.k4j.scheduler.framework;

/** Binds the pod to the node; SKIP passes the pod to the next binder. */
public interface BindPlugin extends Plugin {
    Status bind(CycleState state, PodInfo pod, String nodeName);
}
