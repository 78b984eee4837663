package io.k4j.scheduler.core;

import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.runtime.Framework;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One pod's placement decision: PreFilter, then Filter over nodes (round-robin from where the last cycle stopped,
 * stopping once enough feasible nodes are found), then PreScore and Score, then the highest total wins with ties
 * broken at random. Deterministic given the random source, which tests fix.
 */
public final class SchedulingAlgorithm {

    /** Upstream's floor: never look for fewer feasible nodes than this, whatever the percentage. */
    public static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    /** Upstream's floor for the adaptive percentage. */
    public static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
    /** How many top nodes the explanation keeps. */
    public static final int TOP_NODES = 3;

    private final RandomGenerator random;
    private final int defaultPercentageOfNodesToScore;
    private final Handle.Nominator nominator;
    private int nextStartNodeIndex;

    public SchedulingAlgorithm(RandomGenerator random, int percentageOfNodesToScore, Handle.Nominator nominator) {
        this.random = random;
        this.defaultPercentageOfNodesToScore = percentageOfNodesToScore;
        this.nominator = nominator;
    }

    /**
     * How many feasible nodes to find before scoring: all of a small cluster; otherwise the configured percentage,
     * or upstream's adaptive one (50% minus 1% per 125 nodes, at least 5%), but never fewer than 100 nodes.
     */
    public static int numFeasibleNodesToFind(Integer profilePercentage, int globalPercentage, int allNodes) {
        if (allNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return allNodes;
        }
        int percentage = profilePercentage != null ? profilePercentage : globalPercentage;
        if (percentage == 0) {
            percentage = 50 - allNodes / 125;
            if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
                percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
            }
        }
        int count = (int) ((long) allNodes * percentage / 100);
        return Math.max(count, MIN_FEASIBLE_NODES_TO_FIND);
    }

    public ScheduleResult schedule(Framework framework, CycleState state, PodInfo pod, Snapshot snapshot) throws FitError {
        Diagnosis diagnosis = new Diagnosis();
        int allNodes = snapshot.size();
        diagnosis.allNodes(allNodes);
        if (allNodes == 0) {
            diagnosis.preFilterRejected(Status.unresolvable("no nodes available to schedule pods"));
            throw new FitError(diagnosis);
        }
        Framework.PreFilterOutcome preFilter = framework.runPreFilter(state, pod, snapshot);
        if (!preFilter.status().isSuccess()) {
            diagnosis.preFilterRejected(preFilter.status());
            for (NodeInfo node : snapshot.nodes()) {
                diagnosis.reject(node.name(), preFilter.status());
            }
            throw new FitError(diagnosis);
        }
        List<NodeInfo> candidates = snapshot.nodes();
        boolean narrowed = preFilter.nodeNames() != null;
        if (narrowed) {
            candidates = new ArrayList<>();
            for (String name : preFilter.nodeNames()) {
                NodeInfo node = snapshot.get(name);
                if (node != null) {
                    candidates.add(node);
                }
            }
        }
        List<NodeInfo> feasible = findFeasible(framework, state, pod, candidates, !narrowed, diagnosis);
        if (feasible.isEmpty()) {
            throw new FitError(diagnosis);
        }
        int evaluated = feasible.size() + diagnosis.rejectedCount();
        if (feasible.size() == 1) {
            return new ScheduleResult(feasible.getFirst().name(), evaluated, 1,
                    List.of(new ScheduleResult.NodeScore(feasible.getFirst().name(), 0, Map.of())), diagnosis);
        }
        Status preScore = framework.runPreScore(state, pod, feasible);
        if (!preScore.isSuccess()) {
            throw new IllegalStateException("PreScore plugin " + preScore.plugin() + " failed: " + preScore.message());
        }
        Framework.Scores scores = framework.runScore(state, pod, feasible);
        return pick(feasible, scores, evaluated, diagnosis);
    }

    private List<NodeInfo> findFeasible(Framework framework, CycleState state, PodInfo pod, List<NodeInfo> nodes,
                                        boolean roundRobin, Diagnosis diagnosis) {
        int wanted = numFeasibleNodesToFind(framework.profile().percentageOfNodesToScore(),
                defaultPercentageOfNodesToScore, nodes.size());
        List<NodeInfo> feasible = new ArrayList<>(Math.min(wanted, nodes.size()));
        int size = nodes.size();
        int start = roundRobin ? nextStartNodeIndex % size : 0;
        int processed = 0;
        for (; processed < size && feasible.size() < wanted; processed++) {
            NodeInfo node = nodes.get((start + processed) % size);
            Status status = filterWithNominatedPods(framework, state, pod, node);
            if (status.isSuccess()) {
                feasible.add(node);
            } else {
                diagnosis.reject(node.name(), status);
            }
        }
        if (roundRobin) {
            nextStartNodeIndex = (start + processed) % size;
        }
        return feasible;
    }

    /**
     * Upstream's two-pass filter: with pods nominated to the node (of equal or higher priority) counted as if they
     * were there, and, when any were added, without them too, so the pod neither steals a preemptor's room nor
     * depends on pods that might not come.
     */
    private Status filterWithNominatedPods(Framework framework, CycleState state, PodInfo pod, NodeInfo node) {
        List<PodInfo> nominated = nominator.nominatedPods(node.name());
        if (nominated.isEmpty()) {
            return framework.runFilters(state, pod, node);
        }
        NodeInfo withNominated = node.copy();
        CycleState stateWithNominated = state.copy();
        boolean added = false;
        for (PodInfo other : nominated) {
            if (other.priority() >= pod.priority() && !other.uid().equals(pod.uid())) {
                withNominated.addPod(other);
                Status status = framework.runPreFilterAddPod(stateWithNominated, pod, other, withNominated);
                if (!status.isSuccess()) {
                    return status;
                }
                added = true;
            }
        }
        if (!added) {
            return framework.runFilters(state, pod, node);
        }
        Status status = framework.runFilters(stateWithNominated, pod, withNominated);
        return status.isSuccess() ? framework.runFilters(state, pod, node) : status;
    }

    private ScheduleResult pick(List<NodeInfo> feasible, Framework.Scores scores, int evaluated, Diagnosis diagnosis) {
        long[] totals = scores.totals();
        int best = 0;
        int ties = 1;
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > totals[best]) {
                best = i;
                ties = 1;
            } else if (totals[i] == totals[best]) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    best = i; // reservoir sampling: each tied node equally likely
                }
            }
        }
        return new ScheduleResult(feasible.get(best).name(), evaluated, feasible.size(),
                topNodes(feasible, scores, best), diagnosis);
    }

    private static List<ScheduleResult.NodeScore> topNodes(List<NodeInfo> feasible, Framework.Scores scores, int chosen) {
        long[] totals = scores.totals();
        List<Integer> order = new ArrayList<>();
        order.add(chosen);
        for (int round = 1; round < Math.min(TOP_NODES, totals.length); round++) {
            int next = -1;
            for (int i = 0; i < totals.length; i++) {
                if (!order.contains(i) && (next < 0 || totals[i] > totals[next])) {
                    next = i;
                }
            }
            order.add(next);
        }
        List<ScheduleResult.NodeScore> top = new ArrayList<>();
        for (int i : order) {
            Map<String, Long> byPlugin = new HashMap<>();
            scores.byPlugin().forEach((plugin, values) -> byPlugin.put(plugin, values[i]));
            top.add(new ScheduleResult.NodeScore(feasible.get(i).name(), totals[i], byPlugin));
        }
        return top;
    }
}
