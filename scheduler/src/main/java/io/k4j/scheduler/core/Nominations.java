package io.k4j.scheduler.core;

import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Pods that preemption made room for, by node: filters count them on their node so lower-priority pods do not take
 * the room back. A nomination ends when the pod is bound, deleted, or nominated elsewhere.
 */
public final class Nominations implements Handle.Nominator {

    private final Map<String, List<PodInfo>> byNode = new HashMap<>();
    /** What filters read, once per node per cycle: an immutable copy, replaced on every change, read without a lock. */
    private volatile Map<String, List<PodInfo>> published = Map.of();
    private final Map<String, String> nodeByUid = new HashMap<>();
    private final BiConsumer<PodInfo, String> recorder;

    /** @param recorder writes the nomination to the API (status.nominatedNodeName) */
    public Nominations(BiConsumer<PodInfo, String> recorder) {
        this.recorder = recorder;
    }

    @Override
    public List<PodInfo> nominatedPods(String nodeName) {
        Map<String, List<PodInfo>> current = published;
        if (current.isEmpty()) {
            return List.of();
        }
        List<PodInfo> pods = current.get(nodeName);
        return pods == null ? List.of() : pods;
    }

    private void publish() {
        Map<String, List<PodInfo>> copy = new HashMap<>();
        byNode.forEach((node, pods) -> copy.put(node, List.copyOf(pods)));
        published = Map.copyOf(copy);
    }

    @Override
    public void nominate(PodInfo pod, String nodeName) {
        synchronized (this) {
            remove(pod);
            List<PodInfo> pods = byNode.computeIfAbsent(nodeName, n -> new ArrayList<>());
            pods.add(pod);
            pods.sort(Comparator.comparingInt(PodInfo::priority).reversed());
            nodeByUid.put(pod.uid(), nodeName);
            publish();
        }
        recorder.accept(pod, nodeName);
    }

    /** The pod is bound, deleted, or no longer nominated. */
    public synchronized void remove(PodInfo pod) {
        String node = nodeByUid.remove(pod.uid());
        if (node != null) {
            List<PodInfo> pods = byNode.get(node);
            pods.removeIf(other -> other.uid().equals(pod.uid()));
            if (pods.isEmpty()) {
                byNode.remove(node);
            }
            publish();
        }
    }
}
