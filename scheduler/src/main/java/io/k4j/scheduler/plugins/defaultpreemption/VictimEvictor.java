package io.k4j.scheduler.plugins.defaultpreemption;

import io.k4j.scheduler.framework.PodInfo;
import java.util.List;

/**
 * The API-side effects of preemption, kept apart so unit tests can watch them without an API server. The default,
 * {@link ClientVictimEvictor}, talks to the API through the handle's client.
 */
public interface VictimEvictor {

    /**
     * Evicts one victim as upstream's PreemptPod does: adds the DisruptionTarget condition (reason
     * PreemptionByScheduler) to its status, then deletes it. A victim that is already gone is not an error.
     *
     * @throws Exception when the API refuses; preemption then fails with an ERROR status and nominates nothing
     */
    void evict(PodInfo preemptor, PodInfo victim, String nodeName) throws Exception;

    /**
     * Clears status.nominatedNodeName of these pods (lower-priority pods nominated to the node that was chosen, or
     * the preemptor itself when preemption cannot help). Failures are not fatal: implementations log and go on.
     */
    void clearNominatedNodeName(List<PodInfo> pods);
}
