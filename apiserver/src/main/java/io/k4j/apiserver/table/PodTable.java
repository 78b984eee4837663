package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Nodes.at;
import static io.k4j.apiserver.table.Nodes.conditionTrue;
import static io.k4j.apiserver.table.Nodes.items;
import static io.k4j.apiserver.table.Nodes.present;
import static io.k4j.apiserver.table.Nodes.string;
import static io.k4j.apiserver.table.Table.AGE;
import static io.k4j.apiserver.table.Table.NAME;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pods as {@code kubectl get pods} shows them: READY counts, the STATUS reason (init progress, a waiting or
 * terminated container's reason, Terminating) and RESTARTS with the time of the last restart, as upstream's
 * {@code printPod} computes them.
 */
final class PodTable implements TableConvertor {

    static final PodTable INSTANCE = new PodTable();

    private static final List<Column> COLUMNS = List.of(
            NAME,
            Table.text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Table.text("Status", "The aggregate status of the containers in this pod."),
            Table.text("Restarts", "The number of times the containers in this pod have been restarted and when the "
                    + "last container in this pod has restarted."),
            AGE,
            Table.wide("IP", "IP address allocated to the pod. Routable at least within the cluster."),
            Table.wide("Node", "NodeName indicates in which node this pod is scheduled."),
            Table.wide("Nominated Node", "nominatedNodeName is set when this pod preempts other pods on the node."),
            Table.wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."));

    private PodTable() {
    }

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode pod, Instant now) {
        JsonNode spec = pod.path("spec");
        JsonNode status = pod.path("status");
        Counts counts = new Counts();
        counts.total = items(spec, "containers").size();
        String phase = string(status, "phase");
        String reason = Nodes.textOr(status, phase, "reason");
        for (JsonNode condition : items(status, "conditions")) {
            if ("PodScheduled".equals(string(condition, "type"))
                    && "SchedulingGated".equals(string(condition, "reason"))) {
                reason = "SchedulingGated";
            }
        }

        Map<String, JsonNode> initContainers = new HashMap<>();
        for (JsonNode container : items(spec, "initContainers")) {
            initContainers.put(string(container, "name"), container);
            if (restartable(container)) {
                counts.total++;
            }
        }

        long restartableRestarts = 0;
        Instant lastRestartableRestart = null;
        boolean initializing = false;
        List<JsonNode> initStatuses = items(status, "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode container = initStatuses.get(i);
            counts.addRestarts(container);
            boolean restartable = restartable(initContainers.get(string(container, "name")));
            if (restartable) {
                restartableRestarts += Nodes.number(container, "restartCount");
                lastRestartableRestart = later(lastRestartableRestart, lastFinished(container));
            }
            JsonNode terminated = at(container, "state", "terminated");
            JsonNode waiting = at(container, "state", "waiting");
            if (terminated.isObject() && Nodes.number(terminated, "exitCode") == 0) {
                continue;
            } else if (restartable && Nodes.isTrue(container, "started")) {
                if (Nodes.isTrue(container, "ready")) {
                    counts.ready++;
                }
                continue;
            } else if (terminated.isObject()) {
                reason = "Init:" + terminatedReason(terminated);
            } else if (waiting.isObject() && !string(waiting, "reason").isEmpty()
                    && !"PodInitializing".equals(string(waiting, "reason"))) {
                reason = "Init:" + string(waiting, "reason");
            } else {
                reason = "Init:" + i + "/" + items(spec, "initContainers").size();
            }
            initializing = true;
            break;
        }

        if (!initializing || conditionTrue(status, "Initialized")) {
            counts.restarts = restartableRestarts;
            counts.lastRestart = lastRestartableRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = items(status, "containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode container = statuses.get(i);
                counts.addRestarts(container);
                JsonNode waiting = at(container, "state", "waiting");
                JsonNode terminated = at(container, "state", "terminated");
                if (waiting.isObject() && !string(waiting, "reason").isEmpty()) {
                    reason = string(waiting, "reason");
                } else if (terminated.isObject()) {
                    reason = terminatedReason(terminated);
                } else if (Nodes.isTrue(container, "ready") && present(container, "state", "running")) {
                    hasRunning = true;
                    counts.ready++;
                }
            }
            // a pod whose last container completed but another still runs is Running (or NotReady)
            if ("Completed".equals(reason) && hasRunning) {
                reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
            }
        }

        if (Nodes.deleting(pod) && "NodeLost".equals(string(status, "reason"))) {
            reason = "Unknown";
        } else if (Nodes.deleting(pod) && !"Failed".equals(phase) && !"Succeeded".equals(phase)) {
            reason = "Terminating";
        }

        String restarts = String.valueOf(counts.restarts);
        if (counts.restarts != 0 && counts.lastRestart != null) {
            restarts = counts.restarts + " (" + Ages.human(Duration.between(counts.lastRestart, now)) + " ago)";
        }
        return List.of(Nodes.name(pod), counts.ready + "/" + counts.total, reason, restarts, Ages.of(pod, now),
                Formats.orNone(podIP(status)), Formats.orNone(string(spec, "nodeName")),
                Formats.orNone(string(status, "nominatedNodeName")), readinessGates(spec, status));
    }

    /** Running totals over the container statuses. */
    private static final class Counts {
        int total;
        int ready;
        long restarts;
        Instant lastRestart;

        void addRestarts(JsonNode container) {
            restarts += Nodes.number(container, "restartCount");
            lastRestart = later(lastRestart, lastFinished(container));
        }
    }

    /** An init container with restartPolicy Always: a sidecar, counted among the pod's containers. */
    private static boolean restartable(JsonNode initContainer) {
        return initContainer != null && "Always".equals(string(initContainer, "restartPolicy"));
    }

    private static Instant lastFinished(JsonNode container) {
        return Nodes.instant(container, "lastState", "terminated", "finishedAt");
    }

    private static Instant later(Instant current, Instant candidate) {
        return candidate != null && (current == null || current.isBefore(candidate)) ? candidate : current;
    }

    /** A terminated state's reason, else "Signal:N" or "ExitCode:N". */
    private static String terminatedReason(JsonNode terminated) {
        String reason = string(terminated, "reason");
        if (!reason.isEmpty()) {
            return reason;
        }
        long signal = Nodes.number(terminated, "signal");
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + Nodes.number(terminated, "exitCode");
    }

    private static String podIP(JsonNode status) {
        List<JsonNode> ips = items(status, "podIPs");
        return ips.isEmpty() ? string(status, "podIP") : string(ips.get(0), "ip");
    }

    /** "true/all" over spec.readinessGates, or "&lt;none&gt;". */
    private static String readinessGates(JsonNode spec, JsonNode status) {
        List<JsonNode> gates = items(spec, "readinessGates");
        if (gates.isEmpty()) {
            return Formats.NONE;
        }
        long satisfied = gates.stream().filter(gate -> conditionTrue(status, string(gate, "conditionType"))).count();
        return satisfied + "/" + gates.size();
    }
}
