package io.k4j.kubelet.pod;

import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.RuntimeLabels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubelet's copy of what the runtime runs, grouped by pod, and upstream's PLEG: each relist compares every
 * pod's sandboxes and containers with the last list and reports the pods in which something started, exited or
 * went away, so their workers look again.
 */
final class RuntimeCache {

    private final ContainerRuntime runtime;
    private Map<String, PodRuntime> pods = Map.of();
    private Map<String, String> fingerprints = Map.of();

    RuntimeCache(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Lists the runtime again; returns the uids of pods whose state changed since the last relist. */
    synchronized Set<String> relist() throws IOException {
        Map<String, List<PodSandbox>> sandboxes = new HashMap<>();
        Map<String, List<ContainerStatus>> containers = new HashMap<>();
        for (PodSandbox sandbox : runtime.listPodSandboxes()) {
            sandboxes.computeIfAbsent(sandbox.config().uid(), uid -> new ArrayList<>()).add(sandbox);
        }
        for (ContainerStatus container : runtime.listContainers()) {
            String uid = container.labels().get(RuntimeLabels.POD_UID);
            if (uid != null) {
                containers.computeIfAbsent(uid, key -> new ArrayList<>()).add(container);
            }
        }
        Set<String> uids = new HashSet<>(sandboxes.keySet());
        uids.addAll(containers.keySet());
        Map<String, PodRuntime> next = new HashMap<>();
        Map<String, String> nextFingerprints = new HashMap<>();
        Set<String> changed = new HashSet<>();
        for (String uid : uids) {
            PodRuntime pod = new PodRuntime(uid, List.copyOf(sandboxes.getOrDefault(uid, List.of())),
                    List.copyOf(containers.getOrDefault(uid, List.of())));
            next.put(uid, pod);
            String fingerprint = fingerprint(pod);
            nextFingerprints.put(uid, fingerprint);
            if (!fingerprint.equals(fingerprints.get(uid))) {
                changed.add(uid);
            }
        }
        for (String gone : fingerprints.keySet()) {
            if (!nextFingerprints.containsKey(gone)) {
                changed.add(gone);
            }
        }
        pods = next;
        fingerprints = nextFingerprints;
        return changed;
    }

    /**
     * Lists one pod again (a pod sync's view before and after it acts) and keeps the result, so the next relist
     * reports only what changed after it. The listing happens outside the lock: syncs of different pods do not wait
     * for each other.
     */
    PodRuntime refresh(String uid) throws IOException {
        PodRuntime pod = new PodRuntime(uid, List.copyOf(runtime.listPodSandboxes(uid)),
                List.copyOf(runtime.listContainers(uid)));
        synchronized (this) {
            Map<String, PodRuntime> next = new HashMap<>(pods);
            Map<String, String> nextFingerprints = new HashMap<>(fingerprints);
            if (pod.sandboxes().isEmpty() && pod.containers().isEmpty()) {
                next.remove(uid);
                nextFingerprints.remove(uid);
            } else {
                next.put(uid, pod);
                nextFingerprints.put(uid, fingerprint(pod));
            }
            pods = next;
            fingerprints = nextFingerprints;
        }
        return pod;
    }

    synchronized PodRuntime pod(String uid) {
        return pods.getOrDefault(uid, PodRuntime.empty(uid));
    }

    synchronized Set<String> uids() {
        return Set.copyOf(pods.keySet());
    }

    synchronized List<PodRuntime> all() {
        return List.copyOf(pods.values());
    }

    private static String fingerprint(PodRuntime pod) {
        List<String> parts = new ArrayList<>();
        pod.sandboxes().forEach(sandbox -> parts.add(sandbox.id() + ":" + sandbox.state()));
        pod.containers().forEach(container -> parts.add(container.id() + ":" + container.state()));
        parts.sort(null);
        return String.join(",", parts);
    }
}
