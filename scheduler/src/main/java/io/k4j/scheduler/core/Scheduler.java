package io.k4j.scheduler.core;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.scheduler.api.ClusterInformers;
import io.k4j.scheduler.api.ClusterWrites;
import io.k4j.scheduler.api.Explanation;
import io.k4j.scheduler.cache.SchedulerCache;
import io.k4j.scheduler.config.Profile;
import io.k4j.scheduler.config.SchedulerConfiguration;
import io.k4j.scheduler.framework.BindingAnnotations;
import io.k4j.scheduler.framework.ClusterEvent;
import io.k4j.scheduler.framework.Code;
import io.k4j.scheduler.framework.CycleState;
import io.k4j.scheduler.framework.EnqueueExtensions;
import io.k4j.scheduler.framework.PluginFactory;
import io.k4j.scheduler.framework.PodInfo;
import io.k4j.scheduler.framework.PostFilterPlugin;
import io.k4j.scheduler.framework.Snapshot;
import io.k4j.scheduler.framework.Status;
import io.k4j.scheduler.queue.QueuedPod;
import io.k4j.scheduler.queue.SchedulingQueue;
import io.k4j.scheduler.runtime.Framework;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling loop. One thread pops pods and runs the scheduling cycle (snapshot, filter, score, assume,
 * reserve, permit); each binding cycle (wait on permit, pre-bind, bind, post-bind) then runs on its own virtual
 * thread so the loop never waits on the API. Informer events keep the cache and queue current; a ticker flushes the
 * backoff queue once a second.
 */
public final class Scheduler implements ClusterInformers.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    public static final String COMPONENT = "default-scheduler";

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Framework> frameworks = new LinkedHashMap<>();
    private final SchedulerCache cache = new SchedulerCache();
    private final Snapshot snapshot = new Snapshot();
    private final ClusterInformers informers;
    private final ClusterWrites writes;
    private final Nominations nominations;
    private final SchedulingQueue queue;
    private final SchedulingAlgorithm algorithm;
    private final ExecutorService binders = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    private Thread loop;
    private Thread ticker;

    public Scheduler(KubernetesClient client, SchedulerConfiguration configuration, Map<String, PluginFactory> registry,
                     Clock clock, RandomGenerator random) {
        this.client = client;
        this.clock = clock;
        this.informers = new ClusterInformers(client);
        this.writes = new ClusterWrites(client, clock, COMPONENT);
        this.nominations = new Nominations((pod, node) -> writes.nominate(pod.pod(), node));
        for (Profile profile : configuration.profiles()) {
            frameworks.put(profile.schedulerName(), Framework.build(profile, registry, runner ->
                    new FrameworkHandle(snapshot, client, clock, informers, runner, nominations, writes)));
        }
        Framework first = frameworks.values().iterator().next();
        for (Framework framework : frameworks.values()) {
            if (!framework.pluginNames(io.k4j.scheduler.config.ExtensionPoint.QUEUE_SORT)
                    .equals(first.pluginNames(io.k4j.scheduler.config.ExtensionPoint.QUEUE_SORT))) {
                throw new IllegalArgumentException("all profiles must use the same queueSort plugin");
            }
        }
        Map<String, List<EnqueueExtensions.Registration>> registrations = new HashMap<>();
        frameworks.values().forEach(framework -> framework.eventRegistrations().forEach(
                (plugin, list) -> registrations.computeIfAbsent(plugin, p -> new ArrayList<>()).addAll(list)));
        this.queue = new SchedulingQueue(clock, first.queueSort(),
                pod -> frameworks.get(schedulerName(pod.pod())).runPreEnqueue(pod), registrations);
        this.algorithm = new SchedulingAlgorithm(random, configuration.percentageOfNodesToScore(), nominations);
    }

    /** Syncs the informers, then starts the loop and the ticker. */
    public Scheduler start() throws InterruptedException {
        running = true;
        informers.start(this);
        loop = Thread.ofPlatform().name("scheduler-loop").daemon().start(this::run);
        ticker = Thread.ofPlatform().name("scheduler-ticker").daemon().start(this::tick);
        return this;
    }

    private void run() {
        while (running) {
            try {
                scheduleOne();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("scheduling cycle failed", e);
            }
        }
    }

    private void tick() {
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            queue.flush();
        }
    }

    /** One scheduling cycle, if a pod is waiting within a second. */
    void scheduleOne() throws InterruptedException {
        QueuedPod queued = queue.pop(Duration.ofSeconds(1));
        if (queued == null) {
            return;
        }
        PodInfo pod = queued.pod();
        Framework framework = frameworks.get(schedulerName(pod.pod()));
        if (framework == null || pod.pod().getMetadata().getDeletionTimestamp() != null) {
            queue.done(pod);
            return;
        }
        long cycle = queue.schedulingCycle();
        CycleState state = new CycleState();
        cache.updateSnapshot(snapshot);
        ScheduleResult result;
        try {
            result = algorithm.schedule(framework, state, pod, snapshot);
        } catch (FitError error) {
            handleFitError(framework, state, queued, cycle, error.diagnosis());
            return;
        } catch (RuntimeException e) {
            LOG.warn("scheduling pod {} failed", pod.key(), e);
            fail(queued, cycle, Set.of(), "SchedulerError", String.valueOf(e.getMessage()), null,
                    explanation(framework, "SchedulerError", null, null, null, String.valueOf(e.getMessage())));
            return;
        }
        String node = result.node();
        state.write(BindingAnnotations.KEY, new BindingAnnotations(Map.of(Explanation.ANNOTATION,
                explanation(framework, "Scheduled", node, result, result.diagnosis(), "").toJson())));
        cache.assumePod(pod, node);
        Status reserve = framework.runReserve(state, pod, node);
        if (!reserve.isSuccess()) {
            undoAssume(framework, state, pod, node);
            failAfterAssume(framework, queued, cycle, reserve);
            return;
        }
        Status permit = framework.runPermit(state, pod, node);
        if (!permit.isSuccess() && permit.code() != Code.WAIT) {
            undoAssume(framework, state, pod, node);
            failAfterAssume(framework, queued, cycle, permit);
            return;
        }
        binders.execute(() -> bindingCycle(framework, state, queued, cycle, node));
    }

    private void bindingCycle(Framework framework, CycleState state, QueuedPod queued, long cycle, String node) {
        PodInfo pod = queued.pod();
        Status status = framework.waitOnPermit(pod);
        if (status.isSuccess()) {
            status = framework.runPreBind(state, pod, node);
        }
        if (status.isSuccess()) {
            status = framework.runBind(state, pod, node);
        }
        if (!status.isSuccess()) {
            undoAssume(framework, state, pod, node);
            queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.DELETE), pod.pod(), null);
            failAfterAssume(framework, queued, cycle, status);
            return;
        }
        cache.finishBinding(pod);
        nominations.remove(pod);
        queue.done(pod);
        framework.runPostBind(state, pod, node);
        writes.record(pod.pod(), "Normal", "Scheduled", "Binding",
                "Successfully assigned " + pod.key() + " to " + node);
    }

    private void undoAssume(Framework framework, CycleState state, PodInfo pod, String node) {
        framework.runUnreserve(state, pod, node);
        cache.forgetPod(pod);
    }

    private void failAfterAssume(Framework framework, QueuedPod queued, long cycle, Status status) {
        boolean rejected = status.isRejection();
        String message = status.message();
        fail(queued, cycle, rejected && status.plugin() != null ? Set.of(status.plugin()) : Set.of(),
                rejected ? "Unschedulable" : "SchedulerError", message, null,
                explanation(framework, rejected ? "Unschedulable" : "SchedulerError", null, null, null, message));
    }

    private void handleFitError(Framework framework, CycleState state, QueuedPod queued, long cycle, Diagnosis diagnosis) {
        String nominated = null;
        if (framework.hasPostFilter()) {
            PostFilterPlugin.Result result = framework.runPostFilter(state, queued.pod(), diagnosis.nodeStatuses());
            if (result.status().isSuccess()) {
                nominated = result.nominatedNodeName();
            } else if ("".equals(result.nominatedNodeName())) {
                nominations.remove(queued.pod()); // preemption cannot help: the pod's nomination, if any, is void
            }
            diagnosis.postFilterMessage(result.status().message());
        }
        String message = diagnosis.message();
        fail(queued, cycle, diagnosis.rejectingPlugins(), "Unschedulable", message, nominated,
                explanation(framework, "Unschedulable", null, null, diagnosis, message).withNominatedNode(nominated));
    }

    private void fail(QueuedPod queued, long cycle, Set<String> rejectedBy, String reason, String message,
                      String nominated, Explanation explanation) {
        queued.rejectedBy(rejectedBy);
        queue.requeueFailed(queued, cycle);
        Pod pod = queued.pod().pod();
        writes.record(pod, "Warning", "FailedScheduling", "Scheduling", message);
        writes.podUnschedulable(pod, reason, message, nominated, explanation);
    }

    private Explanation explanation(Framework framework, String result, String node, ScheduleResult scheduled,
                                    Diagnosis diagnosis, String message) {
        List<Explanation.Rejection> rejected = new ArrayList<>();
        if (diagnosis != null) {
            for (Diagnosis.Group group : diagnosis.groups(Explanation.MAX_NODES_PER_GROUP)) {
                rejected.add(new Explanation.Rejection(group.plugin(), group.reason(), group.count(), group.nodes()));
            }
        }
        List<Explanation.Candidate> top = new ArrayList<>();
        if (scheduled != null) {
            for (ScheduleResult.NodeScore score : scheduled.topNodes()) {
                top.add(new Explanation.Candidate(score.node(), score.total(), new java.util.TreeMap<>(score.byPlugin())));
            }
        }
        return new Explanation(result, framework.schedulerName(), node, snapshot.size(),
                scheduled == null ? (diagnosis == null ? 0 : diagnosis.rejectedCount()) : scheduled.evaluatedNodes(),
                scheduled == null ? 0 : scheduled.feasibleNodes(),
                scheduled == null ? message : "", diagnosis == null ? "" : diagnosis.postFilterMessage(),
                null, rejected, top);
    }

    private static String schedulerName(Pod pod) {
        String name = pod.getSpec().getSchedulerName();
        return name == null || name.isEmpty() ? Profile.DEFAULT_SCHEDULER_NAME : name;
    }

    private boolean responsibleFor(Pod pod) {
        return frameworks.containsKey(schedulerName(pod));
    }

    private static boolean assigned(Pod pod) {
        return pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    // ---- informer events ----

    @Override
    public void podAdded(Pod pod) {
        if (terminal(pod)) {
            return;
        }
        podAdded(new PodInfo(pod));
    }

    private void podAdded(PodInfo info) {
        Pod pod = info.pod();
        if (assigned(pod)) {
            cache.addPod(info);
            queue.delete(info);
            nominations.remove(info);
            queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.ADD), null, pod);
        } else if (responsibleFor(pod) && pod.getMetadata().getDeletionTimestamp() == null && !cache.isAssumed(info)) {
            queue.add(info);
        }
    }

    @Override
    public void podUpdated(Pod old, Pod pod) {
        if (terminal(pod)) {
            podDeleted(pod);
            return;
        }
        PodInfo info = new PodInfo(pod);
        if (assigned(pod)) {
            if (!assigned(old)) {
                podAdded(info);
                return;
            }
            cache.updatePod(info);
            queue.onEvent(assignedPodUpdate(old, pod, info), old, pod);
        } else if (responsibleFor(pod)) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                queue.delete(info);
                nominations.remove(info);
            } else if (!cache.isAssumed(info)) {
                queue.update(info);
            }
        }
    }

    private static ClusterEvent assignedPodUpdate(Pod old, Pod pod, PodInfo info) {
        var actions = java.util.EnumSet.noneOf(ClusterEvent.Action.class);
        if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
            actions.add(ClusterEvent.Action.UPDATE_POD_LABEL);
        }
        if (!Objects.equals(old.getSpec(), pod.getSpec())) { // most updates are status: skip parsing requests
            var before = new PodInfo(old).requests();
            var after = info.requests();
            if (after.milliCpu < before.milliCpu || after.memory < before.memory) {
                actions.add(ClusterEvent.Action.UPDATE_POD_SCALE_DOWN);
            }
        }
        actions.add(ClusterEvent.Action.UPDATE);
        return new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, actions);
    }

    @Override
    public void podDeleted(Pod pod) {
        PodInfo info = new PodInfo(pod);
        nominations.remove(info);
        if (assigned(pod)) {
            cache.removePod(info);
            queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.Action.DELETE), pod, null);
        } else {
            queue.delete(info);
        }
    }

    @Override
    public void nodeAdded(Node node) {
        cache.addNode(node);
        queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.NODE, ClusterEvent.Action.ADD), null, node);
    }

    @Override
    public void nodeUpdated(Node old, Node node) {
        cache.updateNode(node);
        ClusterEvent event = io.k4j.scheduler.api.NodeChanges.classify(old, node);
        if (!event.actions().isEmpty()) {
            queue.onEvent(event, old, node);
        }
    }

    @Override
    public void nodeDeleted(Node node) {
        cache.removeNode(node.getMetadata().getName());
    }

    @Override
    public void namespaceChanged(Namespace old, Namespace updated) {
        queue.onEvent(ClusterEvent.of(ClusterEvent.Resource.NAMESPACE,
                old == null ? ClusterEvent.Action.ADD : ClusterEvent.Action.UPDATE), old, updated);
    }

    @Override
    public void close() {
        running = false;
        queue.close();
        if (loop != null) {
            loop.interrupt();
            ticker.interrupt();
        }
        informers.close();
        binders.shutdown();
        writes.close();
    }
}
