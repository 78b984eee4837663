package io.k4j.scheduler.framework;

/** Prepares the node before binding (volumes, for example); runs off the scheduling thread. */
public interface PreBindPlugin extends Plugin {
    Status preBind(CycleState state, PodInfo pod, String nodeName);
}
