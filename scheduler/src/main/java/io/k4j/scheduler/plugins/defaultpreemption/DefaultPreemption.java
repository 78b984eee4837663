package io.k4j.scheduler.plugins.defaultpreemption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PluginArgs;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PostFilterPlugin;
import io.k4j.scheduler.framework.Status;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's DefaultPreemption PostFilter plugin (v1.32): when no node fits a pod, find nodes where evicting pods of
 * lower priority would make it fit, pick the one where that hurts least, evict those victims and nominate the pod
 * to the node.
 *
 * <p>The steps, as upstream's preemption.Evaluator:
 * <ol>
 *   <li>the pod must be eligible ({@link #podEligibleToPreemptOthers});</li>
 *   <li>candidate nodes are those the filters found UNSCHEDULABLE (not UNSCHEDULABLE_AND_UNRESOLVABLE); a node
 *       missing from the statuses counts as unresolvable, as upstream's absent nodes do;</li>
 *   <li>a dry run on each candidate ({@link #selectVictimsOnNode}), starting at an offset and stopping once there are
 *       enough candidates (minCandidateNodesPercentage of the candidate nodes, at least minCandidateNodesAbsolute);</li>
 *   <li>the best candidate ({@link #pickOneNodeForPreemption});</li>
 *   <li>its victims are evicted through the {@link VictimEvictor} (a DisruptionTarget condition, then a delete) with
 *       a Preempted event each, lower-priority pods nominated to that node lose their nomination, and the pod is
 *       nominated there.</li>
 * </ol>
 * Upstream runs the dry run on parallel workers and cancels the rest when it has enough candidates, so which nodes
 * are tried beyond that point is a race; this runs it in node order from the offset, so it is deterministic. The
 * offset defaults to 0 (upstream draws it at random); pass another one to the full constructor.
 *
 * <p>Messages: every non-empty message starts with upstream's {@code "preemption: "} ({@link #MESSAGE_PREFIX}); the
 * framework appends it to the filter summary as it is.
 */
public final class DefaultPreemption implements PostFilterPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultPreemption.class);

    public static final String NAME = "DefaultPreemption";

    /** What upstream's DefaultPreemption.PostFilter puts before every non-empty message of the evaluator. */
    public static final String MESSAGE_PREFIX = "preemption: ";
    public static final String NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never.";
    public static final String NOT_ELIGIBLE_TERMINATING = "not eligible due to a terminating pod on the nominated node.";
    public static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    public static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    public static final String NO_CANDIDATE = "no candidate node for preemption";

    public static final int DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE = 10;
    public static final int DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE = 100;

    /** The victims on one node, highest priority first, and how many of them a PodDisruptionBudget protects. */
    public record Victims(List<PodInfo> pods, int numPdbViolations) {
    }

    /** A node where preemption would make room, and at what cost. */
    public record Candidate(String nodeName, Victims victims) {
    }

    private final Handle handle;
    private final int minCandidateNodesPercentage;
    private final int minCandidateNodesAbsolute;
    private final VictimEvictor evictor;
    private final IntUnaryOperator offset;

    /** The profile's factory: evicts through the handle's client, dry runs start at the first candidate node. */
    public DefaultPreemption(PluginArgs args, Handle handle) {
        this(args, handle, new ClientVictimEvictor(handle), n -> 0);
    }

    /**
     * @param evictor does the API calls (tests pass a recording one)
     * @param offset from the number of candidate nodes, where the dry run starts (in [0, n)); upstream's is random
     */
    public DefaultPreemption(PluginArgs args, Handle handle, VictimEvictor evictor, IntUnaryOperator offset) {
        this.handle = handle;
        long percentage = args.number("minCandidateNodesPercentage", DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE);
        long absolute = args.number("minCandidateNodesAbsolute", DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE);
        validate(percentage, absolute);
        this.minCandidateNodesPercentage = (int) percentage;
        this.minCandidateNodesAbsolute = (int) absolute;
        this.evictor = evictor;
        this.offset = offset;
    }

    /** Upstream's ValidateDefaultPreemptionArgs. */
    static void validate(long percentage, long absolute) {
        List<String> errors = new ArrayList<>();
        if (percentage < 0 || percentage > 100) {
            errors.add("minCandidateNodesPercentage: Invalid value: " + percentage + ": not in valid range [0, 100]");
        }
        if (absolute < 0 || absolute > Integer.MAX_VALUE) {
            errors.add("minCandidateNodesAbsolute: Invalid value: " + absolute + ": not in valid range [0, inf)");
        }
        if (percentage == 0 && absolute == 0) {
            errors.add("minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as "
                    + "minCandidateNodesAbsolute");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(NAME + " args: " + String.join("; ", errors));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Preempts, and puts upstream's "preemption: " before any message, as upstream's PostFilter does. */
    @Override
    public Result postFilter(CycleState state, PodInfo pod, Map<String, Status> nodeStatuses) {
        Result result = preempt(state, pod, nodeStatuses);
        Status status = result.status();
        if (status.message().isEmpty()) {
            return result;
        }
        return new Result(new Status(status.code(), List.of(MESSAGE_PREFIX + status.message()), status.plugin(),
                status.error()), result.nominatedNodeName());
    }

    private Result preempt(CycleState state, PodInfo pod, Map<String, Status> nodeStatuses) {
        // 1) Is the pod allowed to preempt at all?
        String nominatedNode = nominatedNodeName(pod.pod());
        Status nominatedNodeStatus = nominatedNode == null ? null : nodeStatuses.get(nominatedNode);
        String notEligible = podEligibleToPreemptOthers(pod, nominatedNodeStatus);
        if (notEligible != null) {
            LOG.debug("pod {} is not eligible for preemption: {}", pod.key(), notEligible);
            return new Result(Status.unschedulable(notEligible), null);
        }

        // 2) Candidates: dry runs on the nodes where removing pods may help.
        List<NodeInfo> allNodes = handle.snapshot().nodes();
        if (allNodes.isEmpty()) {
            return new Result(Status.error("no nodes available"), null);
        }
        List<NodeInfo> potentialNodes = new ArrayList<>();
        for (NodeInfo node : allNodes) {
            Status status = nodeStatuses.get(node.name());
            if (status != null && status.code() == Code.UNSCHEDULABLE) {
                potentialNodes.add(node);
            }
        }
        DryRun dryRun;
        if (potentialNodes.isEmpty()) {
            LOG.debug("preemption will not help schedule pod {} on any node", pod.key());
            evictor.clearNominatedNodeName(List.of(pod)); // not critical if it fails
            dryRun = new DryRun(List.of(), Map.of(), List.of());
        } else {
            int numCandidates = calculateNumCandidates(potentialNodes.size());
            int start = Math.floorMod(offset.applyAsInt(potentialNodes.size()), potentialNodes.size());
            dryRun = dryRunPreemption(state, pod, potentialNodes, start, numCandidates);
        }
        if (dryRun.candidates().isEmpty()) {
            if (!dryRun.errors().isEmpty()) {
                return new Result(errorStatus(dryRun.errors()), null);
            }
            // nominatedNodeName "" clears the pod's nomination, if it had one.
            String message = fitErrorMessage(allNodes.size(), dryRun.nodeStatuses(), NOT_HELPFUL);
            return new Result(Status.unschedulable(message), "");
        }

        // 3) No extenders. 4) The best candidate.
        Candidate best = selectCandidate(dryRun.candidates());
        if (best == null || best.nodeName() == null || best.nodeName().isEmpty()) {
            return new Result(Status.unschedulable(NO_CANDIDATE), null);
        }

        // 5) Evict the victims, then nominate.
        Status prepared = prepareCandidate(best, pod);
        if (!prepared.isSuccess()) {
            return new Result(prepared, null);
        }
        handle.nominator().nominate(pod, best.nodeName());
        return new Result(Status.success(), best.nodeName());
    }

    // ---- eligibility ----

    /** Null when the pod may preempt; otherwise why not (upstream's PodEligibleToPreemptOthers). */
    String podEligibleToPreemptOthers(PodInfo pod, Status nominatedNodeStatus) {
        if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
            return NOT_ELIGIBLE_NEVER;
        }
        String nominatedNode = nominatedNodeName(pod.pod());
        if (nominatedNode != null) {
            // A nominated node the filters now call unresolvable (or did not try): preempt again elsewhere.
            if (nominatedNodeStatus == null || nominatedNodeStatus.code() == Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                return null;
            }
            NodeInfo node = handle.snapshot().get(nominatedNode);
            if (node != null) {
                for (PodInfo other : node.pods()) {
                    if (other.priority() < pod.priority() && terminatingByPreemption(other.pod())) {
                        return NOT_ELIGIBLE_TERMINATING;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Being deleted by scheduler preemption: a deletion timestamp and a true DisruptionTarget condition with reason
     * PreemptionByScheduler (with PodDisruptionConditions GA, a pod deleted for any other reason does not count).
     */
    static boolean terminatingByPreemption(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() == null) {
            return false;
        }
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition condition : pod.getStatus().getConditions()) {
                if (ClientVictimEvictor.DISRUPTION_TARGET.equals(condition.getType())) {
                    return "True".equals(condition.getStatus())
                            && ClientVictimEvictor.PREEMPTION_BY_SCHEDULER.equals(condition.getReason());
                }
            }
        }
        return false;
    }

    private static String nominatedNodeName(Pod pod) {
        String name = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        return name == null || name.isEmpty() ? null : name;
    }

    // ---- candidates ----

    /** How many candidates are enough: the percentage of the nodes, at least the absolute number, at most all. */
    int calculateNumCandidates(int numNodes) {
        long n = (long) numNodes * minCandidateNodesPercentage / 100;
        if (n < minCandidateNodesAbsolute) {
            n = minCandidateNodesAbsolute;
        }
        if (n > numNodes) {
            n = numNodes;
        }
        return (int) n;
    }

    /** The dry run's outcome: candidates (non-violating first), why the other nodes failed, errors met. */
    record DryRun(List<Candidate> candidates, Map<String, Status> nodeStatuses, List<String> errors) {
    }

    DryRun dryRunPreemption(CycleState state, PodInfo pod, List<NodeInfo> potentialNodes, int start,
            int numCandidates) {
        List<Candidate> nonViolating = new ArrayList<>();
        List<Candidate> violating = new ArrayList<>();
        Map<String, Status> statuses = new HashMap<>();
        List<String> errors = new ArrayList<>();
        Map<String, List<PodDisruptionBudget>> budgets = new HashMap<>();
        for (int i = 0; i < potentialNodes.size(); i++) {
            NodeInfo nodeCopy = potentialNodes.get((start + i) % potentialNodes.size()).copy();
            CycleState stateCopy = state.copy();
            VictimSelection selection = selectVictimsOnNode(stateCopy, pod, nodeCopy, budgets);
            Status status = selection.status();
            if (status.isSuccess() && !selection.victims().pods().isEmpty()) {
                Candidate candidate = new Candidate(nodeCopy.name(), selection.victims());
                // As upstream's fixed-size candidate lists: extra candidates are dropped.
                List<Candidate> list = selection.victims().numPdbViolations() == 0 ? nonViolating : violating;
                if (list.size() < numCandidates) {
                    list.add(candidate);
                }
                if (!nonViolating.isEmpty() && nonViolating.size() + violating.size() >= numCandidates) {
                    break;
                }
                continue;
            }
            if (status.isSuccess()) {
                status = Status.error("expected at least one victim pod on node \"" + nodeCopy.name() + "\"");
            }
            if (status.code() == Code.ERROR) {
                errors.add(status.message());
            }
            statuses.put(nodeCopy.name(), status);
        }
        List<Candidate> candidates = new ArrayList<>(nonViolating);
        candidates.addAll(violating);
        return new DryRun(candidates, statuses, errors);
    }

    /** The victims on one node, or why the node cannot be made to fit (status not success). */
    record VictimSelection(Victims victims, Status status) {
        static VictimSelection failed(Status status) {
            return new VictimSelection(new Victims(List.of(), 0), status);
        }
    }

    /**
     * Upstream's SelectVictimsOnNode, on a copy of the node and the cycle state: take every lower-priority pod off;
     * if the pod then fits, put back as many as possible, those a PodDisruptionBudget protects first, each group
     * highest priority first. Whatever cannot come back is a victim.
     */
    VictimSelection selectVictimsOnNode(CycleState state, PodInfo pod, NodeInfo node,
            Map<String, List<PodDisruptionBudget>> budgetsByNamespace) {
        Handle.PluginRunner runner = handle.runner();
        List<PodInfo> potentialVictims = new ArrayList<>();
        for (PodInfo other : node.pods()) {
            if (other.priority() < pod.priority()) {
                potentialVictims.add(other);
            }
        }
        for (PodInfo victim : potentialVictims) {
            Status removed = removePod(runner, state, pod, victim, node);
            if (!removed.isSuccess()) {
                return VictimSelection.failed(removed);
            }
        }
        // Nothing to remove: the node is as the filters saw it.
        if (potentialVictims.isEmpty()) {
            return VictimSelection.failed(Status.unresolvable(NO_VICTIMS));
        }
        // Does not fit even with all of them gone (affinity to a victim is not looked at, as upstream).
        Status fits = runFiltersWithNominatedPods(state, pod, node);
        if (!fits.isSuccess()) {
            return VictimSelection.failed(fits);
        }

        Instant now = handle.clock().instant();
        potentialVictims.sort(moreImportantFirst(now));
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        potentialVictims.stream().map(PodInfo::namespace).distinct().forEach(namespace -> budgets.addAll(
                budgetsByNamespace.computeIfAbsent(namespace, ns -> handle.listers().disruptionBudgets(ns))));
        List<List<PodInfo>> split = filterPodsWithPdbViolation(potentialVictims, budgets);
        List<PodInfo> violatingVictims = split.get(0);
        List<PodInfo> nonViolatingVictims = split.get(1);

        List<PodInfo> victims = new ArrayList<>();
        int numViolatingVictims = 0;
        for (PodInfo victim : violatingVictims) {
            Status reprieved = reprieve(runner, state, pod, victim, node, victims);
            if (reprieved.code() == Code.ERROR) {
                return VictimSelection.failed(reprieved);
            }
            if (!reprieved.isSuccess()) {
                numViolatingVictims++;
            }
        }
        for (PodInfo victim : nonViolatingVictims) {
            Status reprieved = reprieve(runner, state, pod, victim, node, victims);
            if (reprieved.code() == Code.ERROR) {
                return VictimSelection.failed(reprieved);
            }
        }
        if (!violatingVictims.isEmpty() && !nonViolatingVictims.isEmpty()) {
            victims.sort(moreImportantFirst(now));
        }
        return new VictimSelection(new Victims(List.copyOf(victims), numViolatingVictims), Status.success());
    }

    /**
     * Puts a potential victim back; keeps it if the pod still fits (SUCCESS), else takes it off again and adds it
     * to the victims (UNSCHEDULABLE). ERROR when an extension failed.
     */
    private Status reprieve(Handle.PluginRunner runner, CycleState state, PodInfo pod, PodInfo victim, NodeInfo node,
            List<PodInfo> victims) {
        node.addPod(victim);
        Status added = runner.runPreFilterAddPod(state, pod, victim, node);
        if (!added.isSuccess()) {
            return asError(added, "AddPod");
        }
        if (runFiltersWithNominatedPods(state, pod, node).isSuccess()) {
            return Status.success();
        }
        Status removed = removePod(runner, state, pod, victim, node);
        if (!removed.isSuccess()) {
            return removed;
        }
        victims.add(victim);
        return Status.unschedulable();
    }

    private static Status removePod(Handle.PluginRunner runner, CycleState state, PodInfo pod, PodInfo victim,
            NodeInfo node) {
        if (!node.removePod(victim)) {
            return Status.error("pod " + victim.key() + " is not on node " + node.name());
        }
        Status status = runner.runPreFilterRemovePod(state, pod, victim, node);
        return status.isSuccess() ? status : asError(status, "RemovePod");
    }

    private static Status asError(Status status, String what) {
        if (status.code() == Code.ERROR) {
            return status;
        }
        return Status.error("running " + what + (status.plugin() == null ? "" : " on PreFilter plugin \""
                + status.plugin() + "\"") + ": " + status.message());
    }

    /**
     * Upstream's RunFilterPluginsWithNominatedPods: the filters with the pods nominated to this node that have at
     * least the pod's priority counted as if they were there, and, when that passes and such pods were added,
     * once more without them (a nominated pod might never come, and some filters, like anti-affinity, can fail only
     * because it is missing).
     */
    Status runFiltersWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) {
        Handle.PluginRunner runner = handle.runner();
        CycleState stateWithNominated = state;
        NodeInfo nodeWithNominated = node;
        boolean added = false;
        for (PodInfo nominated : handle.nominator().nominatedPods(node.name())) {
            if (nominated.priority() < pod.priority() || samePod(nominated, pod)) {
                continue;
            }
            if (!added) {
                stateWithNominated = state.copy();
                nodeWithNominated = node.copy();
                added = true;
            }
            nodeWithNominated.addPod(nominated);
            Status status = runner.runPreFilterAddPod(stateWithNominated, pod, nominated, nodeWithNominated);
            if (!status.isSuccess()) {
                return asError(status, "AddPod");
            }
        }
        Status status = runner.runFilters(stateWithNominated, pod, nodeWithNominated);
        if (!status.isSuccess() && !status.isRejection()) {
            return status;
        }
        if (added && status.isSuccess()) {
            status = runner.runFilters(state, pod, node);
        }
        return status;
    }

    private static boolean samePod(PodInfo a, PodInfo b) {
        return a.uid() != null ? a.uid().equals(b.uid()) : a.key().equals(b.key());
    }

    /**
     * Upstream's filterPodsWithPDBViolation: [violating, nonViolating], each keeping the given order. Each budget's
     * allowed disruptions go down by one per matching pod (unless the pod is already in its disruptedPods); a pod
     * that takes any of its budgets below zero is violating.
     */
    static List<List<PodInfo>> filterPodsWithPdbViolation(List<PodInfo> pods, List<PodDisruptionBudget> budgets) {
        int[] allowed = new int[budgets.size()];
        for (int i = 0; i < budgets.size(); i++) {
            var status = budgets.get(i).getStatus();
            allowed[i] = status == null || status.getDisruptionsAllowed() == null ? 0 : status.getDisruptionsAllowed();
        }
        List<PodInfo> violating = new ArrayList<>();
        List<PodInfo> nonViolating = new ArrayList<>();
        for (PodInfo podInfo : pods) {
            Pod pod = podInfo.pod();
            Map<String, String> labels = pod.getMetadata().getLabels();
            boolean violated = false;
            if (labels != null && !labels.isEmpty()) {
                for (int i = 0; i < budgets.size(); i++) {
                    PodDisruptionBudget budget = budgets.get(i);
                    if (!podInfo.namespace().equals(budget.getMetadata().getNamespace())) {
                        continue;
                    }
                    if (budget.getSpec() == null || !PdbSelectors.matches(budget.getSpec().getSelector(), labels)) {
                        continue;
                    }
                    // Already counted by the disruption controller: not a new violation.
                    if (budget.getStatus() != null && budget.getStatus().getDisruptedPods() != null
                            && budget.getStatus().getDisruptedPods().containsKey(podInfo.name())) {
                        continue;
                    }
                    allowed[i]--;
                    if (allowed[i] < 0) {
                        violated = true;
                    }
                }
            }
            (violated ? violating : nonViolating).add(podInfo);
        }
        return List.of(violating, nonViolating);
    }

    // ---- choosing ----

    Candidate selectCandidate(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        return pickOneNodeForPreemption(candidates, handle.clock().instant());
    }

    /**
     * Upstream's pickOneNodeForPreemption: each criterion in turn keeps the best-scoring candidates until one is left:
     * fewest PDB violations, lowest highest-priority victim, smallest sum of priorities, fewest victims, latest
     * start time among the highest-priority victims; then the first (in dry-run order; upstream's is a map's).
     */
    static Candidate pickOneNodeForPreemption(List<Candidate> candidates, Instant now) {
        if (candidates.isEmpty()) {
            return null;
        }
        List<ToLongFunction<Candidate>> scores = List.of(
                c -> -c.victims().numPdbViolations(),
                c -> -(long) c.victims().pods().get(0).priority(),
                c -> {
                    long sum = 0;
                    for (PodInfo victim : c.victims().pods()) {
                        // Shifted to be non-negative, so negative priorities do not favour more victims.
                        sum += (long) victim.priority() + Integer.MAX_VALUE + 1L;
                    }
                    return -sum;
                },
                c -> -(long) c.victims().pods().size(),
                c -> {
                    Instant earliest = earliestStartOfHighestPriority(c.victims().pods(), now);
                    return earliest.getEpochSecond() * 1_000_000_000L + earliest.getNano();
                });
        List<Candidate> remaining = candidates;
        for (ToLongFunction<Candidate> score : scores) {
            List<Candidate> best = new ArrayList<>();
            long max = Long.MIN_VALUE;
            for (Candidate candidate : remaining) {
                long value = score.applyAsLong(candidate);
                if (value > max) {
                    max = value;
                    best.clear();
                }
                if (value == max) {
                    best.add(candidate);
                }
            }
            if (best.size() == 1) {
                return best.get(0);
            }
            remaining = best;
        }
        return remaining.get(0);
    }

    /** Upstream's GetEarliestPodStartTime: the earliest start among the victims of the highest priority. */
    static Instant earliestStartOfHighestPriority(List<PodInfo> victims, Instant now) {
        Instant earliest = startTime(victims.get(0).pod(), now);
        int maxPriority = victims.get(0).priority();
        for (PodInfo victim : victims) {
            if (victim.priority() == maxPriority) {
                Instant start = startTime(victim.pod(), now);
                if (start.isBefore(earliest)) {
                    earliest = start;
                }
            } else if (victim.priority() > maxPriority) {
                maxPriority = victim.priority();
                earliest = startTime(victim.pod(), now);
            }
        }
        return earliest;
    }

    /** status.startTime, or now for a pod that has not started (upstream's GetPodStartTime). */
    static Instant startTime(Pod pod, Instant now) {
        String start = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        if (start == null || start.isEmpty()) {
            return now;
        }
        try {
            return Instant.parse(start);
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    /** Upstream's MoreImportantPod: higher priority first, then the one that started earlier. */
    static Comparator<PodInfo> moreImportantFirst(Instant now) {
        return Comparator.comparingInt(PodInfo::priority).reversed()
                .thenComparing(p -> startTime(p.pod(), now));
    }

    // ---- acting ----

    /** Upstream's prepareCandidate: evict every victim (with an event each), then un-nominate lower pods there. */
    private Status prepareCandidate(Candidate candidate, PodInfo pod) {
        for (PodInfo victim : candidate.victims().pods()) {
            try {
                evictor.evict(pod, victim, candidate.nodeName());
            } catch (Exception e) {
                LOG.warn("could not preempt {} for {} on {}: {}", victim.key(), pod.key(), candidate.nodeName(),
                        e.toString());
                return Status.error(e);
            }
            handle.events().record(victim.pod(), "Normal", "Preempted", "Preempting",
                    "Preempted by pod " + pod.uid() + " on node " + candidate.nodeName());
        }
        List<PodInfo> lowerNominated = new ArrayList<>();
        for (PodInfo nominated : handle.nominator().nominatedPods(candidate.nodeName())) {
            if (nominated.priority() < pod.priority()) {
                lowerNominated.add(nominated);
            }
        }
        if (!lowerNominated.isEmpty()) {
            evictor.clearNominatedNodeName(lowerNominated);
        }
        return Status.success();
    }

    // ---- messages ----

    /**
     * Upstream's FitError message for the nodes preemption looked at: "0/N nodes are available: " and a histogram of
     * reasons sorted as strings, nodes without a status counted under absentReason.
     */
    static String fitErrorMessage(int numAllNodes, Map<String, Status> nodeStatuses, String absentReason) {
        Map<String, Integer> counts = new HashMap<>();
        nodeStatuses.values().forEach(status -> status.reasons().forEach(r -> counts.merge(r, 1, Integer::sum)));
        if (nodeStatuses.size() < numAllNodes) {
            counts.merge(absentReason, numAllNodes - nodeStatuses.size(), Integer::sum);
        }
        TreeMap<String, Boolean> sorted = new TreeMap<>();
        counts.forEach((reason, count) -> sorted.put(count + " " + reason, true));
        String message = "0/" + numAllNodes + " nodes are available:";
        if (!sorted.isEmpty()) {
            message += " " + String.join(", ", sorted.keySet()) + ".";
        }
        return message;
    }

    private static Status errorStatus(List<String> errors) {
        return Status.error(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
    }
}
