package io.k4j.scheduler.framework;

import java.util.Map;

/** Runs when no node passed the filters; preemption lives here. */
public interface PostFilterPlugin extends Plugin {

    /** Success with a nominated node means "room was made there; try again". */
    record Result(Status status, String nominatedNodeName) {
    }

    /** @param nodeStatuses why each node failed the filters (nodes not listed were not tried) */
    Result postFilter(CycleState state, PodInfo pod, Map<String, Status> nodeStatuses);
}
