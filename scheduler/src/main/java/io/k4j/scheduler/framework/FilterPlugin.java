package io.k4j.scheduler.framework;

/** Says whether the pod can run on one node. Must be safe to call from several threads for different nodes. */
public interface FilterPlugin extends Plugin {
    Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
