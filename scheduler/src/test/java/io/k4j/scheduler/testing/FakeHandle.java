package io.k4j.scheduler.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.Handle;
import io.k4j.scheduler.framework.NodeInfo;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Handle for plugin unit tests: a settable snapshot, namespaces and PDBs in memory, recorded events, no API. */
public final class FakeHandle implements Handle, Handle.Listers, Handle.Nominator, Handle.EventRecorder {

    public record RecordedEvent(String object, String type, String reason, String message) {
    }

    public Snapshot snapshot = new Snapshot();
    public Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    public final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    public final List<PodDisruptionBudget> budgets = new ArrayList<>();
    public final Map<String, List<PodInfo>> nominated = new HashMap<>();
    public final List<RecordedEvent> events = new ArrayList<>();
    /** Set by tests that exercise preemption: runs the real plugins. */
    public PluginRunner runner;

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public KubernetesClient client() {
        throw new UnsupportedOperationException("no API in unit tests");
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Listers listers() {
        return this;
    }

    @Override
    public PluginRunner runner() {
        return runner;
    }

    @Override
    public Nominator nominator() {
        return this;
    }

    @Override
    public EventRecorder events() {
        return this;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    @Override
    public List<Namespace> namespaces() {
        List<Namespace> list = new ArrayList<>();
        namespaceLabels.forEach((name, labels) -> list.add(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata().build()));
        return list;
    }

    @Override
    public List<PodDisruptionBudget> disruptionBudgets(String namespace) {
        return budgets.stream().filter(b -> namespace.equals(b.getMetadata().getNamespace())).toList();
    }

    @Override
    public List<PodInfo> nominatedPods(String nodeName) {
        return nominated.getOrDefault(nodeName, List.of());
    }

    @Override
    public void nominate(PodInfo pod, String nodeName) {
        nominated.computeIfAbsent(nodeName, n -> new ArrayList<>()).add(pod);
    }

    @Override
    public void record(HasMetadata regarding, String type, String reason, String action, String message) {
        events.add(new RecordedEvent(regarding.getMetadata().getName(), type, reason, message));
    }

    /** A runner that never rejects, for tests that do not care. */
    public static Status noFilters(CycleState state, PodInfo pod, NodeInfo node) {
        return Status.success();
    }
}
