package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.queue.WorkQueue;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.PodSandbox;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's pod workers: every pod on this node is synced by one worker at a time (the work queue never hands a
 * pod uid to two workers), level-triggered from the latest pod the API sent and the runtime's latest list. A pod
 * is synced when the API changes it, when the PLEG sees its containers change, when a probe result flips, and when
 * a back-off it waits for is over. A pod being deleted is stopped within its grace period, its status written one
 * last time, its volumes and sandbox removed, and then deleted from the API; a pod the API no longer has (or never
 * had, after a restart) is stopped and removed.
 */
public final class PodWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

    private final PodSyncer syncer;
    private final RuntimeCache cache;
    private final PodStatusWriter statusWriter;
    private final ContainerProbes probes;
    private final ContainerRuntime runtime;
    private final Supplier<List<String>> hostIps;
    private final Clock clock;
    private final WorkQueue<String> queue;
    private final PodSource desired;
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean sourcesReady;

    public PodWorkers(PodSource desired, PodSyncer syncer, ContainerRuntime runtime, KubernetesClient client,
            ContainerProbes probes, Supplier<List<String>> hostIps, Clock clock) {
        this.desired = desired;
        this.syncer = syncer;
        this.runtime = runtime;
        this.cache = new RuntimeCache(runtime);
        this.statusWriter = new PodStatusWriter(client);
        this.probes = probes;
        this.hostIps = hostIps;
        this.clock = clock;
        this.queue = new WorkQueue<>(clock);
    }

    public PodWorkers start(int count) {
        for (int index = 0; index < count; index++) {
            workers.add(Thread.ofVirtual().name("kubelet-pod-worker-" + index).start(this::work));
        }
        return this;
    }

    /** The API added, changed or removed this pod: its worker compares it with the runtime again. */
    public void changed(Pod pod) {
        queue.add(pod.getMetadata().getUid());
    }

    /** The pod list from the API has been read once: pods the runtime has but the API lacks are orphans now. */
    public void sourcesReady() {
        sourcesReady = true;
        relist();
        cache.uids().forEach(queue::add);
        resyncAll();
    }

    /** Something about this pod changed outside the API (a probe result): look at it again. */
    public void poke(String uid) {
        queue.add(uid);
    }

    /** The PLEG's relist: pods whose containers changed are synced again. */
    public void relist() {
        try {
            cache.relist().forEach(queue::add);
        } catch (IOException | RuntimeException e) {
            LOG.warn("listing the runtime's containers failed: {}", e.getMessage());
        }
    }

    /** Every pod again (the periodic resync, and volume contents refresh). */
    public void resyncAll() {
        desired.list().forEach(this::changed);
    }

    public List<Pod> pods() {
        return desired.list();
    }

    public PodRuntime runtimeOf(String uid) {
        return cache.pod(uid);
    }

    public Pod pod(String uid) {
        return desired.get(uid);
    }

    /** Every running container, from the last relist. */
    public List<ContainerStatus> runningContainers() {
        return cache.all().stream().flatMap(pod -> pod.containers().stream())
                .filter(c -> c.state() == ContainerStatus.State.RUNNING).toList();
    }

    public Set<String> runningContainerIds() {
        Set<String> running = new java.util.HashSet<>();
        runningContainers().forEach(c -> running.add(c.id()));
        return running;
    }

    /** Image ids of every container the runtime still has, running or not. */
    public Set<String> imageIdsInUse() {
        Set<String> images = new java.util.HashSet<>();
        for (PodRuntime pod : cache.all()) {
            pod.containers().forEach(c -> images.add(c.imageId()));
        }
        return images;
    }

    public Pod pod(String namespace, String name) {
        for (Pod pod : desired.list()) {
            if (pod.getMetadata().getNamespace().equals(namespace) && pod.getMetadata().getName().equals(name)) {
                return pod;
            }
        }
        return null;
    }

    private void work() {
        while (true) {
            String uid;
            try {
                uid = queue.get();
            } catch (InterruptedException e) {
                return;
            }
            if (uid == null) {
                return;
            }
            try {
                Duration again = syncOne(uid);
                if (again != null) {
                    queue.addAfter(uid, again);
                }
            } catch (RuntimeException e) {
                LOG.warn("syncing pod {} failed: {}", uid, e.toString());
                queue.addAfter(uid, PodSyncer.RETRY);
            } finally {
                queue.done(uid);
            }
        }
    }

    private Duration syncOne(String uid) {
        Pod pod = desired.get(uid);
        PodRuntime state = fresh(uid);
        if (pod == null) {
            if (!sourcesReady || state.sandboxes().isEmpty() && state.containers().isEmpty()) {
                return null;
            }
            LOG.info("pod {}: the API has no such pod on this node; stopping and removing its {} containers", uid,
                    state.containers().size());
            syncer.terminate(null, state, Duration.ZERO);
            syncer.cleanUp(uid, fresh(uid));
            statusWriter.forget(uid);
            finished.remove(uid);
            return null;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            probes.podTerminating(uid);
            syncer.terminate(pod, state, PodSyncer.grace(pod, null));
            state = fresh(uid);
            writeStatus(pod, state, Map.of());
            syncer.cleanUp(uid, state);
            statusWriter.delete(pod);
            return null;
        }
        if (finished.contains(uid) || isTerminal(pod.getStatus())) {
            stopSandboxes(state);
            return null;
        }
        long begin = System.nanoTime();
        PodSyncer.Outcome outcome = syncer.sync(pod, state);
        long synced = System.nanoTime();
        PodRuntime before = state;
        state = fresh(uid);
        long listed = System.nanoTime();
        PodStatus status = writeStatus(pod, state, outcome.waiting());
        if (LOG.isDebugEnabled()) {
            LOG.debug("pod {}/{}: synced in {} ms, relisted in {} ms, status written in {} ms",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), (synced - begin) / 1_000_000,
                    (listed - synced) / 1_000_000, (System.nanoTime() - listed) / 1_000_000);
        }
        if (status != null && isTerminal(status)) {
            // A finished pod keeps its containers (for logs) but gives back its address.
            finished.add(uid);
            probes.removePod(uid);
            stopSandboxes(state);
            return outcome.requeueAfter();
        }
        return exitedDuringSync(before, state) ? Duration.ZERO : outcome.requeueAfter();
    }

    /**
     * Whether a container exited while the pod was being synced (an init container done, a crash). This sync's own
     * listing already holds the exit, so the relist will not report it: the pod is synced again at once, to start
     * what comes next, rather than on a later update of the pod.
     */
    private static boolean exitedDuringSync(PodRuntime before, PodRuntime after) {
        Set<String> exited = before.containers().stream().filter(c -> c.state() == ContainerStatus.State.EXITED)
                .map(ContainerStatus::id).collect(Collectors.toSet());
        return after.containers().stream()
                .anyMatch(c -> c.state() == ContainerStatus.State.EXITED && !exited.contains(c.id()));
    }

    private PodStatus writeStatus(Pod pod, PodRuntime state, Map<String, Waiting> waiting) {
        PodStatus status = PodStatusComputer.compute(new PodStatusComputer.Inputs(pod, state, waiting, probes,
                hostIps.get(), runtime.name(), clock.instant()));
        return statusWriter.write(pod, status) ? status : null;
    }

    private void stopSandboxes(PodRuntime state) {
        for (PodSandbox sandbox : state.sandboxes()) {
            if (sandbox.state() == PodSandbox.State.READY
                    || state.containers().stream().anyMatch(c -> c.state() == ContainerStatus.State.RUNNING)) {
                try {
                    runtime.stopPodSandbox(sandbox.id());
                } catch (IOException e) {
                    LOG.warn("stopping sandbox {}: {}", sandbox.id(), e.getMessage());
                }
            }
        }
    }

    /**
     * The runtime's state of this pod now (listed again, so the sync never acts on what it already changed). When the
     * runtime cannot be listed the sync stops here and is retried: acting on an older list (empty, just after a
     * restart) would make a second sandbox for a pod that has one.
     */
    private PodRuntime fresh(String uid) {
        try {
            return cache.refresh(uid);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("listing the runtime's containers failed", e);
        }
    }

    private static boolean isTerminal(PodStatus status) {
        return status != null && ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase()));
    }

    @Override
    public void close() {
        queue.shutDown();
        for (Thread worker : workers) {
            worker.interrupt();
        }
    }
}
