package io.k4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** What the framework offers plugins: the cycle's snapshot, listers, the API client, and the plugin runner. */
public interface Handle {

    /** The snapshot of the cycle in progress. */
    Snapshot snapshot();

    /** The API client, for the binder and preemption; everything else reads from the snapshot and listers. */
    KubernetesClient client();

    Clock clock();

    /** Informer-backed reads of what the plugins need beyond nodes and pods. */
    Listers listers();

    /** Runs this profile's plugins on what-if node states (preemption). */
    PluginRunner runner();

    /** Pods nominated to run on a node after preemption, which filters count as if they were there. */
    Nominator nominator();

    /** Records Kubernetes events (FailedScheduling, Preempted, ...). */
    EventRecorder events();

    interface Listers {
        /** The namespace's labels, or an empty map if it is not known. */
        Map<String, String> namespaceLabels(String namespace);

        List<Namespace> namespaces();

        List<PodDisruptionBudget> disruptionBudgets(String namespace);
    }

    interface PluginRunner {
        /** The profile's Filter plugins for one node, stopping at the first rejection. */
        Status runFilters(CycleState state, PodInfo pod, NodeInfo node);

        /** Every PreFilter extension's addPod, so the state counts podToAdd on node. */
        Status runPreFilterAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

        /** Every PreFilter extension's removePod, so the state forgets podToRemove on node. */
        Status runPreFilterRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
    }

    interface Nominator {
        /** Pods nominated to this node, highest priority first. */
        List<PodInfo> nominatedPods(String nodeName);

        /** Remembers (and, with the API, records in status.nominatedNodeName) that pod will go to node. */
        void nominate(PodInfo pod, String nodeName);
    }

    interface EventRecorder {
        /** type is Normal or Warning; action as in events.k8s.io (Scheduling, Binding, Preempting). */
        void record(HasMetadata regarding, String type, String reason, String action, String message);
    }
}
