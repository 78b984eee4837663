package io.k4j.controllers.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.k4j.controllers.api.Pods;
import io.k4j.controllers.daemonset.NodeEligibility.Verdict;
import io.k4j.controllers.history.Revisions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One pass of upstream's DaemonSet sync as pure logic: which nodes need a daemon pod, which pods must go (failed,
 * extra, on nodes that no longer qualify, or replaced by a rolling update within maxUnavailable / maxSurge), and the
 * status counts.
 */
public final class DaemonSetPlan {

    private DaemonSetPlan() {
    }

    public record Settings(boolean rollingUpdate, IntOrString maxSurge, IntOrString maxUnavailable, int minReadySeconds) {

        public static Settings of(DaemonSet set) {
            var strategy = set.getSpec().getUpdateStrategy();
            boolean rolling = strategy == null || strategy.getType() == null || "RollingUpdate".equals(strategy.getType());
            var rollingUpdate = rolling && strategy != null ? strategy.getRollingUpdate() : null;
            return new Settings(rolling,
                    rollingUpdate == null || rollingUpdate.getMaxSurge() == null ? new IntOrString(0) : rollingUpdate.getMaxSurge(),
                    rollingUpdate == null || rollingUpdate.getMaxUnavailable() == null ? new IntOrString(1)
                            : rollingUpdate.getMaxUnavailable(),
                    set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds());
        }

        boolean allowsSurge(int desired) {
            return rollingUpdate && scaled(maxSurge, desired) > 0;
        }
    }

    public record Counts(int desired, int current, int misscheduled, int ready, int updated, int available) {
        public int unavailable() {
            return desired - available;
        }
    }

    /** @param failed the failed pods among {@code delete}, which upstream reports with a warning */
    public record Plan(List<String> createOn, List<Pod> delete, Set<Pod> failed, Counts counts) {
    }

    public static Plan plan(Settings settings, PodSpec daemonPod, List<Node> nodes, List<Pod> pods, String hash,
            Instant now) {
        Map<String, List<Pod>> byNode = podsByNode(pods);
        Map<String, Verdict> verdicts = new TreeMap<>();
        nodes.forEach(node -> verdicts.put(node.getMetadata().getName(), NodeEligibility.of(daemonPod, node)));
        int desired = (int) verdicts.values().stream().filter(Verdict::shouldRun).count();
        List<String> createOn = new ArrayList<>();
        Set<Pod> delete = new LinkedHashSet<>();
        Set<Pod> failed = new LinkedHashSet<>();
        for (var entry : verdicts.entrySet()) {
            List<Pod> onNode = byNode.getOrDefault(entry.getKey(), List.of());
            Verdict verdict = entry.getValue();
            if (verdict.shouldRun() && onNode.isEmpty()) {
                createOn.add(entry.getKey());
            } else if (verdict.shouldContinueRunning()) {
                List<Pod> running = new ArrayList<>();
                for (Pod pod : onNode) {
                    if (terminating(pod)) {
                        continue;
                    }
                    if ("Failed".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())) {
                        failed.add(pod);
                    } else {
                        running.add(pod);
                    }
                }
                delete.addAll(failed);
                delete.addAll(extras(settings, desired, running, hash, now));
            } else {
                onNode.stream().filter(p -> !terminating(p)).forEach(delete::add);
            }
        }
        // unscheduled pods meant for nodes that are gone
        byNode.forEach((node, onNode) -> {
            if (!verdicts.containsKey(node)) {
                onNode.stream().filter(p -> !scheduled(p) && !terminating(p)).forEach(delete::add);
            }
        });
        if (settings.rollingUpdate()) {
            // nodes that want a pod and have none count as unavailable (upstream's updatedDesiredNodeCounts)
            Map<String, List<Pod>> withEmpty = new TreeMap<>(byNode);
            verdicts.forEach((node, verdict) -> {
                if (verdict.shouldRun()) {
                    withEmpty.putIfAbsent(node, List.of());
                }
            });
            RollingUpdate update = rollingUpdate(settings, withEmpty, desired, hash, now);
            delete.addAll(update.delete());
            update.createOn().stream().filter(n -> !createOn.contains(n)).forEach(createOn::add);
        }
        return new Plan(List.copyOf(createOn), List.copyOf(delete), failed, count(settings, verdicts, byNode, hash, now));
    }

    /** The pods that are not terminal-and-deleted, by the node they are on or pinned to. */
    static Map<String, List<Pod>> podsByNode(List<Pod> pods) {
        Map<String, List<Pod>> byNode = new TreeMap<>();
        for (Pod pod : pods) {
            String node = DaemonPods.targetNode(pod);
            if (node == null || (Pods.isTerminal(pod) && terminating(pod))) {
                continue;
            }
            byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
        }
        byNode.values().forEach(list -> list.sort(OLDEST_SCHEDULED_FIRST));
        return byNode;
    }

    /** Upstream's podByCreationTimestampAndPhase: scheduled pods first, then the oldest, then by name. */
    static final Comparator<Pod> OLDEST_SCHEDULED_FIRST = Comparator
            .comparing((Pod p) -> !scheduled(p))
            .thenComparing(p -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(p -> p.getMetadata().getName());

    /**
     * The pods beyond one on a node: without surge all but the oldest; with surge an old and a new pod may coexist
     * while the new one is not yet available (and the old one is ready).
     */
    private static List<Pod> extras(Settings settings, int desired, List<Pod> running, String hash, Instant now) {
        List<Pod> extra = new ArrayList<>();
        if (running.size() <= 1) {
            return extra;
        }
        if (!settings.allowsSurge(desired)) {
            extra.addAll(running.subList(1, running.size()));
            return extra;
        }
        Pod oldestNew = null;
        Pod oldestOld = null;
        for (Pod pod : running) {
            if (isUpdated(pod, hash)) {
                if (oldestNew == null) {
                    oldestNew = pod;
                    continue;
                }
            } else if (oldestOld == null) {
                oldestOld = pod;
                continue;
            }
            extra.add(pod);
        }
        if (oldestNew != null && oldestOld != null
                && (!Pods.isReady(oldestOld) || Pods.isAvailable(oldestNew, settings.minReadySeconds(), now))) {
            extra.add(oldestOld);
        }
        return extra;
    }

    private record RollingUpdate(List<Pod> delete, List<String> createOn) {
    }

    /** Upstream's rollingUpdate: replace old pods within maxUnavailable, or surge new ones within maxSurge. */
    private static RollingUpdate rollingUpdate(Settings settings, Map<String, List<Pod>> byNode, int desired,
            String hash, Instant now) {
        int maxSurge = scaled(settings.maxSurge(), desired);
        int maxUnavailable = scaled(settings.maxUnavailable(), desired);
        if (desired > 0 && maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1; // an impossible configuration: upstream accepts unavailability
        }
        int minReady = settings.minReadySeconds();
        List<Pod> delete = new ArrayList<>();
        List<String> createOn = new ArrayList<>();
        if (maxSurge == 0) {
            int unavailable = 0;
            List<Pod> candidates = new ArrayList<>();
            for (List<Pod> onNode : byNode.values()) {
                Versions versions = Versions.of(onNode, hash);
                if (!versions.ok() || (versions.newPod() == null) == (versions.oldPod() == null)) {
                    unavailable++; // left to the per-node management
                } else if (versions.newPod() != null) {
                    unavailable += Pods.isAvailable(versions.newPod(), minReady, now) ? 0 : 1;
                } else if (!Pods.isAvailable(versions.oldPod(), minReady, now)) {
                    delete.add(versions.oldPod()); // not serving anyway: replace it at once
                } else if (unavailable < maxUnavailable) {
                    candidates.add(versions.oldPod());
                }
            }
            int budget = Math.clamp(maxUnavailable - unavailable, 0, candidates.size());
            delete.addAll(candidates.subList(0, budget));
            return new RollingUpdate(delete, createOn);
        }
        int surging = 0;
        List<String> candidates = new ArrayList<>();
        for (var entry : byNode.entrySet()) {
            Versions versions = Versions.of(entry.getValue(), hash);
            if (!versions.ok()) {
                surging++;
                continue;
            }
            if (versions.oldPod() == null) {
                continue; // up to date, or the per-node management creates its pod
            }
            if (versions.newPod() == null) {
                if (!Pods.isAvailable(versions.oldPod(), minReady, now)) {
                    createOn.add(entry.getKey());
                } else if (surging < maxSurge) {
                    candidates.add(entry.getKey());
                }
            } else if (!Pods.isAvailable(versions.newPod(), minReady, now)) {
                surging++; // waiting for the new pod
            } else {
                delete.add(versions.oldPod());
            }
        }
        int budget = Math.clamp(maxSurge - surging, 0, candidates.size());
        createOn.addAll(candidates.subList(0, budget));
        return new RollingUpdate(delete, createOn);
    }

    /** The new and the old pod on a node; not ok when there are two of either (the management resolves that). */
    private record Versions(Pod newPod, Pod oldPod, boolean ok) {
        static Versions of(List<Pod> onNode, String hash) {
            Pod newPod = null;
            Pod oldPod = null;
            for (Pod pod : onNode) {
                if (terminating(pod)) {
                    continue;
                }
                if (isUpdated(pod, hash)) {
                    if (newPod != null) {
                        return new Versions(null, null, false);
                    }
                    newPod = pod;
                } else {
                    if (oldPod != null) {
                        return new Versions(null, null, false);
                    }
                    oldPod = pod;
                }
            }
            return new Versions(newPod, oldPod, true);
        }
    }

    private static Counts count(Settings settings, Map<String, Verdict> verdicts, Map<String, List<Pod>> byNode,
            String hash, Instant now) {
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int updated = 0;
        int available = 0;
        for (var entry : verdicts.entrySet()) {
            List<Pod> onNode = byNode.getOrDefault(entry.getKey(), List.of());
            if (!entry.getValue().shouldRun()) {
                misscheduled += onNode.isEmpty() ? 0 : 1;
                continue;
            }
            desired++;
            if (onNode.isEmpty()) {
                continue;
            }
            current++;
            Pod oldest = onNode.getFirst();
            if (Pods.isReady(oldest)) {
                ready++;
                available += Pods.isAvailable(oldest, settings.minReadySeconds(), now) ? 1 : 0;
            }
            updated += isUpdated(oldest, hash) ? 1 : 0;
        }
        return new Counts(desired, current, misscheduled, ready, updated, available);
    }

    static boolean isUpdated(Pod pod, String hash) {
        return pod.getMetadata().getLabels() != null && hash.equals(pod.getMetadata().getLabels().get(Revisions.HASH_LABEL));
    }

    private static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    private static boolean scheduled(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    /** An int or a percentage of {@code total}, rounded up, as upstream's GetScaledValueFromIntOrPercent(.., true). */
    static int scaled(IntOrString value, int total) {
        if (value == null) {
            return 0;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text != null && text.endsWith("%")) {
            try {
                int percent = Integer.parseInt(text.substring(0, text.length() - 1));
                return (int) Math.ceil(percent * (double) total / 100);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        try {
            return text == null ? 0 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
