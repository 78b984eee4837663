package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.EventRecorder;
import io.k4j.kubelet.image.Image;
import io.k4j.kubelet.image.ImageService;
import io.fabric8.kubernetes.api.model.Quantity;
import io.k4j.kubelet.container.ContainerConfigException;
import io.k4j.kubelet.container.EnvResolver;
import io.k4j.kubelet.volume.VolumeException;
import io.k4j.kubelet.volume.VolumeManager;
import java.util.function.Supplier;
import io.k4j.kubelet.prober.HookResult;
import io.k4j.kubelet.prober.LifecycleHandlers;
import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.runtime.ContainerStatus;
import io.k4j.kubelet.runtime.PodSandbox;
import io.k4j.kubelet.runtime.RuntimeLabels;
import io.k4j.kubelet.runtime.SandboxConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of a pod's lifecycle, upstream's SyncPod: volumes, the sandbox, init containers one at a time in order,
 * then the regular containers, each started, kept, or restarted under its restartPolicy with the crash-loop
 * back-off. Each call looks at what the runtime reports now and takes the next steps; nothing is remembered between
 * calls except the back-off and the liveness failures, so a restarted kubelet carries on where the last one stopped.
 */
public final class PodSyncer {

    private static final Logger LOG = LoggerFactory.getLogger(PodSyncer.class);
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    static final Duration RETRY = Duration.ofSeconds(2);

    /** What a sync left to show and when to look again (null: when something changes). */
    public record Outcome(Map<String, Waiting> waiting, Duration requeueAfter) {
    }

    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final ImagePuller puller;
    private final ImageService images;
    private final VolumeManager volumes;
    private final EnvResolver environment;
    private final NodeFacts node;
    private final ContainerProbes probes;
    private final LifecycleHooks hooks;
    private final EventRecorder events;
    private final RestartBackoff backoff;
    private final PodNetworkSettings network;
    private final Path logsDir;
    private final InstantSource clock;
    /** Container instances whose liveness (or startup) probe failed, with the probe's own grace period if it has one. */
    private final Map<String, OptionalLong> livenessFailed = new ConcurrentHashMap<>();

    /** Node-wide settings a sandbox is made with. */
    public record PodNetworkSettings(String cgroupRoot, SandboxConfig.DnsConfig clusterDns) {
    }

    /** What environment variables may take from the node: its addresses and allocatable resources. */
    public record NodeFacts(Supplier<List<String>> hostIps, Supplier<Map<String, Quantity>> allocatable) {
    }

    public PodSyncer(KubernetesClient client, ContainerRuntime runtime, ImageService images, VolumeManager volumes,
            EnvResolver environment, NodeFacts node, ContainerProbes probes, LifecycleHooks hooks,
            EventRecorder events, InstantSource clock, PodNetworkSettings network, Path logsDir) {
        this.client = client;
        this.runtime = runtime;
        this.images = images;
        this.volumes = volumes;
        this.environment = environment;
        this.node = node;
        this.probes = probes;
        this.hooks = hooks;
        this.events = events;
        this.backoff = new RestartBackoff(clock);
        this.puller = new ImagePuller(client, images, events, backoff, clock);
        this.network = network;
        this.logsDir = logsDir;
        this.clock = clock;
    }

    /** The prober reported a liveness failure: the next sync restarts that container instance. */
    public void livenessFailed(String containerId, OptionalLong probeGraceSeconds) {
        livenessFailed.put(containerId, probeGraceSeconds);
    }

    public Outcome sync(Pod pod, PodRuntime state) {
        Map<String, Waiting> waiting = new HashMap<>();
        Map<String, Path> mounted;
        try {
            mounted = volumes.mount(pod);
        } catch (VolumeException e) {
            events.warning(pod, VolumeException.FAILED_MOUNT, e.failedMountMessage());
            return new Outcome(waiting, RETRY);
        }
        Optional<PodSandbox> sandbox = state.readySandbox();
        if (sandbox.isEmpty()) {
            if (!state.sandboxes().isEmpty()) {
                LOG.info("pod {}/{}: no sandbox is ready ({}), making a new one and its containers with it",
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                        state.sandboxes().stream().map(PodSandbox::id).toList());
            }
            try {
                long begin = System.nanoTime();
                sandbox = Optional.of(newSandbox(pod, state));
                LOG.debug("pod {}/{}: sandbox made in {} ms", pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(), (System.nanoTime() - begin) / 1_000_000);
            } catch (IOException e) {
                events.warning(pod, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
                return new Outcome(waiting, RETRY);
            }
        }
        Context context = new Context(pod, state, sandbox.get(), mounted, waiting);
        for (Container init : pod.getSpec().getInitContainers()) {
            Step step = syncInit(context, init);
            if (step != Step.DONE) {
                return new Outcome(waiting, context.requeueAfter);
            }
        }
        for (Container container : pod.getSpec().getContainers()) {
            syncRegular(context, container);
        }
        return new Outcome(waiting, context.requeueAfter);
    }

    /** Everything one sync works with. */
    private final class Context {
        final Pod pod;
        final PodRuntime state;
        final PodSandbox sandbox;
        final Map<String, Path> volumes;
        final Map<String, Waiting> waiting;
        Duration requeueAfter;

        Context(Pod pod, PodRuntime state, PodSandbox sandbox, Map<String, Path> volumes,
                Map<String, Waiting> waiting) {
            this.pod = pod;
            this.state = state;
            this.sandbox = sandbox;
            this.volumes = volumes;
            this.waiting = waiting;
        }

        void retryIn(Duration delay) {
            if (delay != null && (requeueAfter == null || delay.compareTo(requeueAfter) < 0)) {
                requeueAfter = delay;
            }
        }

        String podIp() {
            return sandbox.ips().isEmpty() ? null : sandbox.ips().get(0);
        }
    }

    private enum Step { DONE, WAITING }

    private Step syncInit(Context context, Container init) {
        Optional<ContainerStatus> latest = context.state.latest(init.getName());
        if (latest.isEmpty()) {
            start(context, init, 0);
            return Step.WAITING;
        }
        ContainerStatus instance = latest.get();
        if (instance.state() == ContainerStatus.State.EXITED && instance.exitCode() == 0) {
            return Step.DONE;
        }
        if (instance.state() == ContainerStatus.State.EXITED
                && !"Never".equals(PodStatusComputer.restartPolicy(context.pod))) {
            restartWithBackoff(context, init, instance);
        } else if (instance.state() == ContainerStatus.State.CREATED) {
            startCreated(context, init, instance);
        }
        return Step.WAITING;
    }

    private void syncRegular(Context context, Container container) {
        Optional<ContainerStatus> latest = context.state.latest(container.getName());
        if (latest.isEmpty()) {
            start(context, container, 0);
            return;
        }
        ContainerStatus instance = latest.get();
        if (instance.state() == ContainerStatus.State.UNKNOWN) {
            LOG.info("pod {}/{}: container {} ({}) lost its monitor, its state is unknown; it counts as exited",
                    context.pod.getMetadata().getNamespace(), context.pod.getMetadata().getName(),
                    container.getName(), instance.id());
        }
        switch (instance.state()) {
            case RUNNING -> {
                // Idempotent: after a kubelet restart this gives adopted containers their probe workers again.
                probes.add(context.pod, container, instance.id(), context.podIp(), instance.startedAt());
                if (!ContainerSpecs.hash(container).equals(instance.annotations().get(RuntimeLabels.CONTAINER_HASH))) {
                    kill(context.pod, instance, "Container " + container.getName()
                            + " definition changed, will be restarted", grace(context.pod, null));
                    start(context, container, context.state.restartCount(container.getName()) + 1);
                } else if (livenessFailed.containsKey(instance.id())) {
                    OptionalLong probeGrace = livenessFailed.remove(instance.id());
                    kill(context.pod, instance, "Container " + container.getName()
                            + " failed liveness probe, will be restarted",
                            grace(context.pod, probeGrace.isPresent() ? probeGrace.getAsLong() : null));
                    context.retryIn(Duration.ZERO);
                }
            }
            case CREATED -> startCreated(context, container, instance);
            case EXITED, UNKNOWN -> {
                String policy = PodStatusComputer.restartPolicy(context.pod);
                boolean restart = "Always".equals(policy) || "OnFailure".equals(policy) && instance.exitCode() != 0;
                if (restart) {
                    restartWithBackoff(context, container, instance);
                }
            }
        }
    }

    private void restartWithBackoff(Context context, Container container, ContainerStatus exited) {
        String key = context.pod.getMetadata().getUid() + "/" + container.getName();
        Optional<Duration> wait = backoff.remaining(key);
        String podRef = context.pod.getMetadata().getName() + "_" + context.pod.getMetadata().getNamespace() + "("
                + context.pod.getMetadata().getUid() + ")";
        if (wait.isPresent()) {
            context.waiting.put(container.getName(), new Waiting(Waiting.CRASH_LOOP_BACK_OFF, "back-off "
                    + Durations.format(backoff.current(key)) + " restarting failed container=" + container.getName()
                    + " pod=" + podRef));
            events.warning(context.pod, "BackOff", "Back-off restarting failed container " + container.getName()
                    + " in pod " + podRef);
            context.retryIn(wait.get());
            return;
        }
        backoff.tried(key);
        probes.remove(exited.id());
        start(context, container, context.state.restartCount(container.getName()) + 1);
        removeOldInstances(context.state, container.getName());
    }

    /** A container created but never started (the kubelet stopped in between) is started now. */
    private void startCreated(Context context, Container container, ContainerStatus created) {
        try {
            runtime.startContainer(created.id());
            afterStart(context, container, created.id());
        } catch (IOException e) {
            failed(context, container, Waiting.RUN_CONTAINER_ERROR, e.getMessage());
        }
    }

    private void start(Context context, Container container, int restartCount) {
        Pod pod = context.pod;
        Image image;
        try {
            image = puller.ensure(pod, container);
        } catch (ImagePuller.NotPulled e) {
            context.waiting.put(container.getName(), e.waiting());
            context.retryIn(e.retryAfter());
            return;
        }
        EnvResolver.ContainerEnv env;
        try {
            env = environment.resolve(pod, container, image.config().env() == null ? List.of() : image.config().env(),
                    new EnvResolver.NodeFacts(context.sandbox.ips(), node.hostIps().get(), node.allocatable().get()));
        } catch (ContainerConfigException e) {
            failed(context, container, ContainerConfigException.REASON, e.getMessage());
            return;
        }
        env.warnings().forEach(warning -> events.warning(pod, "InvalidEnvironmentVariableNames", warning));
        String id;
        long begin = System.nanoTime();
        try {
            List<ContainerConfig.Mount> mounts = volumes.mountsFor(pod, container, context.volumes, env.variables());
            ContainerConfig config = ContainerSpecs.build(pod, container, image, images.layerDirectories(image),
                    env.env(), env.variables(), mounts, restartCount,
                    logPath(pod, container.getName(), restartCount));
            id = runtime.createContainer(context.sandbox.id(), config);
        } catch (VolumeException e) {
            failed(context, container, Waiting.CREATE_CONTAINER_CONFIG_ERROR, e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            failed(context, container, Waiting.CREATE_CONTAINER_ERROR, e.getMessage());
            return;
        }
        long created = System.nanoTime();
        events.normal(pod, "Created", "Created container " + container.getName());
        try {
            runtime.startContainer(id);
        } catch (IOException e) {
            failed(context, container, Waiting.RUN_CONTAINER_ERROR, e.getMessage());
            return;
        }
        LOG.debug("pod {}/{}: container {} created in {} ms, started in {} ms", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), container.getName(), (created - begin) / 1_000_000,
                (System.nanoTime() - created) / 1_000_000);
        afterStart(context, container, id);
    }

    private void afterStart(Context context, Container container, String id) {
        Pod pod = context.pod;
        events.normal(pod, "Started", "Started container " + container.getName());
        probes.add(pod, container, id, context.podIp(), clock.instant());
        HookResult hook = hooks.postStart(pod, container, id, context.podIp(), grace(pod, null));
        if (!hook.success()) {
            // Upstream kills the container; its event says only that the hook failed (the message may hold secrets).
            events.warning(pod, LifecycleHandlers.FAILED_POST_START_HOOK, LifecycleHandlers.POST_START_FAILED_MESSAGE);
            LOG.info("postStart hook of {} in pod {} failed: {}", container.getName(), pod.getMetadata().getName(),
                    hook.message());
            try {
                runtime.stopContainer(id, grace(pod, null));
            } catch (IOException e) {
                LOG.warn("stopping container {} after its postStart hook failed: {}", id, e.getMessage());
            }
        }
        context.retryIn(null);
    }

    private void failed(Context context, Container container, String reason, String message) {
        context.waiting.put(container.getName(), new Waiting(reason, message));
        events.warning(context.pod, "Failed", "Error: " + message);
        context.retryIn(RETRY);
    }

    /** Keeps the newest two instances of a container (the current one and the one `logs --previous` shows). */
    private void removeOldInstances(PodRuntime state, String containerName) {
        List<ContainerStatus> instances = state.instances(containerName);
        for (ContainerStatus old : instances.subList(Math.min(1, instances.size()), instances.size())) {
            if (old.state() == ContainerStatus.State.EXITED) {
                try {
                    runtime.removeContainer(old.id());
                } catch (IOException e) {
                    LOG.warn("removing old container {}: {}", old.id(), e.getMessage());
                }
            }
        }
    }

    private PodSandbox newSandbox(Pod pod, PodRuntime state) throws IOException {
        for (PodSandbox broken : state.sandboxes()) {
            // A sandbox that lost its network is replaced, and its containers with it, as upstream does.
            runtime.stopPodSandbox(broken.id());
            runtime.removePodSandbox(broken.id());
        }
        return runtime.runPodSandbox(sandboxConfig(pod, state.sandboxes().size()));
    }

    SandboxConfig sandboxConfig(Pod pod, int attempt) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        List<SandboxConfig.PortMapping> ports = new ArrayList<>();
        for (Container container : spec.getContainers()) {
            for (ContainerPort port : Objects.requireNonNullElse(container.getPorts(), List.<ContainerPort>of())) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    ports.add(new SandboxConfig.PortMapping(Objects.requireNonNullElse(port.getProtocol(), "TCP"),
                            port.getContainerPort(), port.getHostPort(), port.getHostIP()));
                }
            }
        }
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        for (HostAlias alias : Objects.requireNonNullElse(spec.getHostAliases(), List.<HostAlias>of())) {
            aliases.put(alias.getIp(), alias.getHostnames());
        }
        String hostname = spec.getHostname() != null && !spec.getHostname().isEmpty() ? spec.getHostname()
                : meta.getName();
        return new SandboxConfig(meta.getUid(), meta.getNamespace(), meta.getName(), attempt, hostname,
                spec.getSubdomain(), Map.of(RuntimeLabels.POD_UID, meta.getUid(), RuntimeLabels.POD_NAME,
                        meta.getName(), RuntimeLabels.POD_NAMESPACE, meta.getNamespace()),
                Objects.requireNonNullElse(meta.getAnnotations(), Map.of()), ports,
                DnsSettings.forPod(pod, network.clusterDns()), aliases,
                network.cgroupRoot() + "/pod" + meta.getUid(), Boolean.TRUE.equals(spec.getHostNetwork()));
    }

    /**
     * Stops every running container of the pod (preStop hooks first, within the grace period) and the sandbox.
     * {@code pod} may be null for a pod the API no longer has.
     */
    public void terminate(Pod pod, PodRuntime state, Duration grace) {
        List<Thread> stopping = new ArrayList<>();
        for (ContainerStatus container : state.containers()) {
            if (container.state() == ContainerStatus.State.RUNNING || container.state() == ContainerStatus.State.CREATED) {
                stopping.add(Thread.ofVirtual().name("stop-" + container.id())
                        .start(() -> stopWithHook(pod, container, grace)));
            }
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (PodSandbox sandbox : state.sandboxes()) {
            try {
                runtime.stopPodSandbox(sandbox.id());
            } catch (IOException e) {
                LOG.warn("stopping sandbox {}: {}", sandbox.id(), e.getMessage());
            }
        }
        probes.removePod(state.uid());
    }

    private void stopWithHook(Pod pod, ContainerStatus container, Duration grace) {
        long started = System.nanoTime();
        Container spec = pod == null ? null : specOf(pod, container.name());
        String podIp = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (spec != null) {
            HookResult hook = hooks.preStop(pod, spec, container.id(), podIp, grace);
            if (!hook.success()) {
                events.warning(pod, LifecycleHandlers.FAILED_PRE_STOP_HOOK, LifecycleHandlers.PRE_STOP_FAILED_MESSAGE);
            }
            events.normal(pod, "Killing", "Stopping container " + container.name());
        }
        Duration left = grace.isZero() ? Duration.ZERO
                : LifecycleHandlers.graceAfterPreStop(grace, Duration.ofNanos(System.nanoTime() - started));
        try {
            runtime.stopContainer(container.id(), left);
        } catch (IOException e) {
            LOG.warn("stopping container {}: {}", container.id(), e.getMessage());
        }
    }

    private void kill(Pod pod, ContainerStatus container, String why, Duration grace) {
        events.normal(pod, "Killing", why);
        probes.remove(container.id());
        try {
            runtime.stopContainer(container.id(), grace);
        } catch (IOException e) {
            LOG.warn("killing container {}: {}", container.id(), e.getMessage());
        }
    }

    /** Removes what is left of a pod that is gone: containers, sandboxes, volumes, logs, back-off. */
    public void cleanUp(String uid, PodRuntime state) {
        for (PodSandbox sandbox : state.sandboxes()) {
            try {
                runtime.removePodSandbox(sandbox.id());
            } catch (IOException e) {
                LOG.warn("removing sandbox {}: {}", sandbox.id(), e.getMessage());
            }
        }
        for (ContainerStatus container : state.containers()) {
            try {
                runtime.removeContainer(container.id());
            } catch (IOException e) {
                LOG.debug("removing container {}: {}", container.id(), e.getMessage());
            }
        }
        try {
            volumes.unmount(uid);
        } catch (VolumeException e) {
            LOG.warn("unmounting volumes of pod {}: {}", uid, e.getMessage());
        }
        backoff.forgetPrefix(uid + "/");
        PodLogs.remove(logsDir, uid);
    }

    /** The grace period a pod is stopped with: the deletion's, else the spec's (30 s by default). */
    static Duration grace(Pod pod, Long override) {
        if (override != null) {
            return Duration.ofSeconds(override);
        }
        if (pod.getMetadata().getDeletionGracePeriodSeconds() != null) {
            return Duration.ofSeconds(pod.getMetadata().getDeletionGracePeriodSeconds());
        }
        Long spec = pod.getSpec().getTerminationGracePeriodSeconds();
        return spec == null ? DEFAULT_GRACE : Duration.ofSeconds(spec);
    }

    private static Container specOf(Pod pod, String name) {
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        all.addAll(pod.getSpec().getInitContainers());
        return all.stream().filter(container -> container.getName().equals(name)).findFirst().orElse(null);
    }

    private Path logPath(Pod pod, String container, int attempt) {
        return PodLogs.directory(logsDir, pod).resolve(container).resolve(attempt + ".log");
    }
}
