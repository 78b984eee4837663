package io.k4j.kubelet.node;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The four conditions a kubelet owns, with upstream's reasons and messages. A pressure condition stays True for the
 * pressure transition period (upstream's --eviction-pressure-transition-period, 5m) after its signal was last over
 * the threshold, so a node does not flap. lastTransitionTime moves only when the status flips; lastHeartbeatTime is
 * the time of this computation (whether it is written is the reporter's decision).
 */
public final class NodeConditions {

    public static final Duration PRESSURE_TRANSITION_PERIOD = Duration.ofMinutes(5);

    private final EvictionThresholds thresholds;
    private final Duration transitionPeriod;
    private Instant memoryPressureSeen;
    private Instant diskPressureSeen;
    private Instant pidPressureSeen;

    public NodeConditions(EvictionThresholds thresholds, Duration transitionPeriod) {
        this.thresholds = thresholds;
        this.transitionPeriod = transitionPeriod;
    }

    /**
     * The conditions for now, in upstream's order (MemoryPressure, DiskPressure, PIDPressure, Ready).
     *
     * @param notReady why the node is not ready (runtime, network); empty when it is
     * @param previous the conditions the node has now (for transition times)
     */
    public synchronized List<NodeCondition> compute(NodeSignals signals, List<String> notReady,
            List<NodeCondition> previous, Instant now) {
        if (thresholds.memoryPressure(signals)) {
            memoryPressureSeen = now;
        }
        if (thresholds.diskPressure(signals)) {
            diskPressureSeen = now;
        }
        if (thresholds.pidPressure(signals)) {
            pidPressureSeen = now;
        }
        List<NodeCondition> conditions = new ArrayList<>();
        conditions.add(pressure(recent(memoryPressureSeen, now), "MemoryPressure",
                "KubeletHasInsufficientMemory", "kubelet has insufficient memory available",
                "KubeletHasSufficientMemory", "kubelet has sufficient memory available", previous, now));
        conditions.add(pressure(recent(diskPressureSeen, now), "DiskPressure",
                "KubeletHasDiskPressure", "kubelet has disk pressure",
                "KubeletHasNoDiskPressure", "kubelet has no disk pressure", previous, now));
        conditions.add(pressure(recent(pidPressureSeen, now), "PIDPressure",
                "KubeletHasInsufficientPID", "kubelet has insufficient PID available",
                "KubeletHasSufficientPID", "kubelet has sufficient PID available", previous, now));
        conditions.add(notReady.isEmpty()
                ? condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", previous, now)
                : condition("Ready", "False", "KubeletNotReady", aggregate(notReady), previous, now));
        return conditions;
    }

    /** Upstream's error aggregate: one message alone, several as "[a, b]". */
    static String aggregate(List<String> messages) {
        return messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]";
    }

    private boolean recent(Instant seen, Instant now) {
        return seen != null && Duration.between(seen, now).compareTo(transitionPeriod) < 0;
    }

    private static NodeCondition pressure(boolean under, String type, String trueReason, String trueMessage,
            String falseReason, String falseMessage, List<NodeCondition> previous, Instant now) {
        return under ? condition(type, "True", trueReason, trueMessage, previous, now)
                : condition(type, "False", falseReason, falseMessage, previous, now);
    }

    private static NodeCondition condition(String type, String status, String reason, String message,
            List<NodeCondition> previous, Instant now) {
        String time = time(now);
        String transition = previous.stream()
                .filter(old -> type.equals(old.getType()) && status.equals(old.getStatus())
                        && old.getLastTransitionTime() != null)
                .map(NodeCondition::getLastTransitionTime)
                .findFirst().orElse(time);
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(time).withLastTransitionTime(transition).build();
    }

    /** The API's Time: RFC 3339 in whole seconds. */
    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
