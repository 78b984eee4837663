package io.k4j.scheduler.core;

import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why nodes were turned down in one attempt: each rejected node's status, a PreFilter rejection that applied to all
 * nodes, and PostFilter's (preemption's) message. It renders upstream's FitError message and the per-node
 * explanation {@code k4j explain pod} prints.
 */
public final class Diagnosis {

    /*
     * Rejections are kept as two parallel lists, one entry per node (each node is filtered once per attempt); the
     * map by node is built only when asked for. With required anti-affinity most of 5,000 nodes are rejected in
     * every cycle, and hashing each node's name into a map was a tenth of the scheduler's CPU.
     */
    private final List<String> rejectedNodes = new ArrayList<>();
    private final List<Status> rejectedStatuses = new ArrayList<>();
    private Map<String, Status> nodeStatuses;
    private int builtFrom;
    private Status preFilterStatus;
    private String postFilterMessage = "";
    private int allNodes;

    /** Each rejected node's status, in the order they were filtered; read-only. */
    public Map<String, Status> nodeStatuses() {
        if (nodeStatuses == null || builtFrom != rejectedNodes.size()) {
            Map<String, Status> byNode = new LinkedHashMap<>();
            for (int i = 0; i < rejectedNodes.size(); i++) {
                byNode.put(rejectedNodes.get(i), rejectedStatuses.get(i));
            }
            nodeStatuses = Collections.unmodifiableMap(byNode);
            builtFrom = rejectedNodes.size();
        }
        return nodeStatuses;
    }

    /** How many nodes were rejected. */
    public int rejectedCount() {
        return rejectedNodes.size();
    }

    /** Records a node's rejection; each node at most once per attempt. */
    public void reject(String node, Status status) {
        rejectedNodes.add(node);
        rejectedStatuses.add(status);
    }

    public void preFilterRejected(Status status) {
        this.preFilterStatus = status;
    }

    public Status preFilterStatus() {
        return preFilterStatus;
    }

    public void postFilterMessage(String message) {
        this.postFilterMessage = message == null ? "" : message;
    }

    public String postFilterMessage() {
        return postFilterMessage;
    }

    public void allNodes(int count) {
        this.allNodes = count;
    }

    public int allNodes() {
        return allNodes;
    }

    /** Plugins that rejected the pod somewhere; the queue retries it on events they registered. */
    public Set<String> rejectingPlugins() {
        Set<String> plugins = new TreeSet<>();
        if (preFilterStatus != null && preFilterStatus.plugin() != null) {
            plugins.add(preFilterStatus.plugin());
        }
        for (Status status : rejectedStatuses) {
            if (status.plugin() != null && status.code() != Code.ERROR) {
                plugins.add(status.plugin());
            }
        }
        return plugins;
    }

    /**
     * Upstream's message: {@code 0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {a: b}.
     * preemption: ...}; reasons are counted over nodes and sorted as strings, as upstream does.
     */
    public String message() {
        StringBuilder message = new StringBuilder("0/").append(allNodes).append(" nodes are available:");
        if (preFilterStatus != null && !preFilterStatus.message().isEmpty()) {
            message.append(' ').append(preFilterStatus.message()).append('.');
        } else {
            Map<String, Integer> counts = new HashMap<>();
            for (Status status : rejectedStatuses) {
                for (String reason : status.reasons()) {
                    counts.merge(reason, 1, Integer::sum);
                }
            }
            List<String> histogram = new ArrayList<>();
            counts.forEach((reason, count) -> histogram.add(count + " " + reason));
            histogram.sort(null);
            if (!histogram.isEmpty()) {
                message.append(' ').append(String.join(", ", histogram)).append('.');
            }
        }
        if (!postFilterMessage.isEmpty()) {
            message.append(' ').append(postFilterMessage).append('.');
        }
        return message.toString();
    }

    /**
     * Nodes one plugin rejected for one reason: how many, and the first of them (at most the number asked for).
     */
    public record Group(String plugin, String reason, int count, List<String> nodes) {
    }

    /**
     * The rejections grouped by (plugin, reason), largest group first, each naming at most {@code namesPerGroup}
     * nodes: with required anti-affinity thousands of nodes are rejected in every cycle, and the explanation names
     * only a few of each group.
     */
    public List<Group> groups(int namesPerGroup) {
        // keyed on the reasons list, whose strings are mostly constants with their hash cached: with thousands of
        // rejected nodes, joining each node's reasons into a message to group by was most of the explanation's cost
        Map<GroupKey, GroupBuilder> byReason = new LinkedHashMap<>();
        Status previous = null;
        GroupBuilder previousGroup = null;
        for (int i = 0; i < rejectedNodes.size(); i++) {
            Status status = rejectedStatuses.get(i);
            if (status != previous) { // plugins mostly reject with constant statuses: runs of one instance
                previousGroup = byReason.computeIfAbsent(new GroupKey(String.valueOf(status.plugin()),
                        status.reasons().isEmpty() ? status.code() : null, status.reasons()), key -> new GroupBuilder());
                previous = status;
            }
            if (previousGroup.nodes.size() < namesPerGroup) {
                previousGroup.nodes.add(rejectedNodes.get(i));
            }
            previousGroup.count++;
        }
        List<Group> groups = new ArrayList<>();
        byReason.forEach((key, group) -> groups.add(new Group(key.plugin(),
                key.reasons().isEmpty() ? key.code().toString() : String.join(", ", key.reasons()), group.count,
                List.copyOf(group.nodes))));
        groups.sort((a, b) -> b.count() != a.count() ? Integer.compare(b.count(), a.count())
                : a.reason().compareTo(b.reason()));
        return groups;
    }

    private static final class GroupBuilder {
        private final List<String> nodes = new ArrayList<>();
        private int count;
    }

    /** The code counts only when there are no reasons to tell nodes apart by. */
    private record GroupKey(String plugin, Code code, List<String> reasons) {
    }
}
