package io.k4j.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.k4j.client.InformerHandlers;
import io.k4j.client.EventRecorder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.k4j.kubelet.container.ApiObjects;
import io.k4j.kubelet.container.InformedServices;
import io.k4j.kubelet.container.EnvResolver;
import io.k4j.kubelet.image.ImageGarbageCollector;
import io.k4j.kubelet.image.ImageService;
import io.k4j.kubelet.logs.LogRotator;
import io.k4j.kubelet.volume.VolumeException;
import io.k4j.kubelet.volume.VolumeManager;
import java.util.Map;
import io.k4j.kubelet.pod.ContainerProbes;
import io.k4j.kubelet.pod.KubeletPods;
import io.k4j.kubelet.pod.LifecycleHooks;
import io.k4j.kubelet.pod.PodSyncer;
import io.k4j.kubelet.pod.PodUpdates;
import io.k4j.kubelet.pod.PodSource;
import io.k4j.kubelet.pod.PodWorkers;
import io.k4j.kubelet.prober.ContainerProbeActions;
import io.k4j.kubelet.prober.ExecutorTaskScheduler;
import io.k4j.kubelet.prober.LifecycleHandlers;
import io.k4j.kubelet.prober.ProbeListener;
import io.k4j.kubelet.prober.ProbeManager;
import io.k4j.kubelet.prober.ProbeType;
import io.k4j.kubelet.runtime.ContainerRuntime;
import io.k4j.kubelet.stats.StatsCollector;
import java.util.OptionalLong;
import io.k4j.kubelet.runtime.SandboxConfig;
import io.k4j.kubelet.server.PodContainers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: watches the pods bound to its node and runs them in the container runtime through the pod
 * workers, relists the runtime every second (the PLEG), gives the runtime the node's pod range, and refreshes
 * projected volume contents. A client of the API server only.
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
    public static final Duration RELIST_PERIOD = Duration.ofSeconds(1);
    /** How often projected volume contents (configMap, secret, downward API, tokens) are refreshed. */
    public static final Duration RESYNC_PERIOD = Duration.ofSeconds(10);
    public static final Duration STATS_PERIOD = Duration.ofSeconds(10);
    static final Duration SOURCES_TIMEOUT = Duration.ofSeconds(30);
    /** Upstream's ImageGCPeriod. */
    public static final Duration IMAGE_GC_PERIOD = Duration.ofMinutes(5);

    private final Builder config;
    private final EventRecorder events;
    private final PodWorkers workers;
    private final SharedIndexInformer<Pod> podInformer;
    /** Every service, for containers' service environment variables. */
    private final SharedIndexInformer<Service> serviceInformer;
    private final PodSyncer syncer;
    private final VolumeManager volumes;
    private final StatsCollector stats;
    private final LogRotator logRotator;
    private final ExecutorTaskScheduler timerTasks = new ExecutorTaskScheduler("kubelet-stats");
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("kubelet-timers").daemon().factory());
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile String podCidr;
    /** The node as the API last sent it: its addresses and allocatable resources feed pods' status and env. */
    private volatile Node node;
    private java.util.Set<String> tracked = java.util.Set.of();

    private Kubelet(Builder config) {
        this.config = config;
        this.events = new EventRecorder(config.client, config.clock, "kubelet");
        ContainerProbes probes = config.probes;
        LifecycleHooks hooks = config.hooks;
        if (probes == null) {
            ExecutorTaskScheduler probeTasks = new ExecutorTaskScheduler("kubelet-probes");
            ProbeManager manager = new ProbeManager(new ContainerProbeActions(config.runtime), probeTasks,
                    config.clock, new ProbeResults());
            owned.add(manager);
            owned.add(probeTasks);
            probes = manager;
        }
        if (hooks == null) {
            LifecycleHandlers handlers = new LifecycleHandlers(new ContainerProbeActions(config.runtime));
            owned.add(handlers);
            hooks = handlers;
        }
        this.serviceInformer = config.client.services().inAnyNamespace().runnableInformer(0);
        this.volumes = VolumeManager.builder().client(config.client).podsDir(config.dataDir.resolve("pods"))
                .clock(config.clock).nodeAllocatable(this::allocatable).build();
        PodSyncer syncer = new PodSyncer(config.client, config.runtime, config.images, volumes,
                new EnvResolver(new InformedServices(ApiObjects.of(config.client), serviceInformer)),
                new PodSyncer.NodeFacts(this::hostIps, this::allocatable), probes, hooks, events,
                config.clock,
                new PodSyncer.PodNetworkSettings(config.cgroupRoot, config.clusterDns),
                config.dataDir.resolve("logs").resolve("pods"));
        this.syncer = syncer;
        this.stats = new StatsCollector(config.runtime, timerTasks, STATS_PERIOD);
        this.logRotator = new LogRotator(config.runtime, config.clock);
        this.podInformer = config.client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName)
                .runnableInformer(0);
        podInformer.addIndexers(Map.of(BY_UID, pod -> List.of(pod.getMetadata().getUid())));
        this.workers = new PodWorkers(new InformedPods(podInformer), syncer, config.runtime, config.client, probes,
                this::hostIps, config.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    public PodContainers podContainers() {
        return new KubeletPods(workers);
    }

    /** Asks for another sync of a pod (probe results changed). */
    public void poke(String podUid) {
        workers.poke(podUid);
    }

    /** CPU and memory use of running containers, sampled every {@link #STATS_PERIOD}. */
    public StatsCollector stats() {
        return stats;
    }

    /** Turns probe results into restarts, status updates and Unhealthy events. */
    private final class ProbeResults implements ProbeListener {
        @Override
        public void livenessFailed(String podUid, String containerName, String containerId, String message,
                OptionalLong gracePeriodSeconds) {
            syncer.livenessFailed(containerId, gracePeriodSeconds);
            workers.poke(podUid);
        }

        @Override
        public void resultsChanged(String podUid) {
            workers.poke(podUid);
        }

        @Override
        public void probeEvent(String podUid, String containerName, ProbeType type, String reason, String message) {
            Pod pod = workers.pod(podUid);
            if (pod != null) {
                events.warning(pod, reason, message);
            }
        }
    }

    private Kubelet start() {
        workers.start(config.workers);
        workers.relist();
        SharedIndexInformer<Node> node = config.client.nodes().withName(config.nodeName).inform(
                InformerHandlers.of(this::nodeChanged, this::nodeChanged));
        informers.add(node);
        serviceInformer.start();
        informers.add(serviceInformer);
        podInformer.addEventHandler(InformerHandlers.of(workers::changed, workers::changed, PodUpdates::needsSync));
        informers.add(podInformer);
        // Only once the API's pods are all known may runtime pods without one count as orphans; before that, a
        // restarted kubelet would kill every container it should adopt.
        try {
            podInformer.start().toCompletableFuture().get(SOURCES_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            workers.sourcesReady();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("the pod list of node {} has not synced yet; orphans are kept until it has", config.nodeName);
            podInformer.start().thenRun(workers::sourcesReady);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.scheduleWithFixedDelay(workers::relist, RELIST_PERIOD.toMillis(), RELIST_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        stats.start();
        timers.scheduleWithFixedDelay(this::trackRunningContainers, STATS_PERIOD.toMillis(), STATS_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        if (config.imageGc != null) {
            timers.scheduleWithFixedDelay(this::collectImages, IMAGE_GC_PERIOD.toMillis(), IMAGE_GC_PERIOD.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        timers.scheduleWithFixedDelay(this::refreshVolumes, RESYNC_PERIOD.toMillis(), RESYNC_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("kubelet for node {} started with the {} runtime", config.nodeName, config.runtime.name());
        return this;
    }

    /** The node's InternalIP addresses (its hostIPs for pods), 127.0.0.1 until it has any. */
    private List<String> hostIps() {
        Node current = node;
        if (current == null || current.getStatus() == null || current.getStatus().getAddresses() == null) {
            return List.of("127.0.0.1");
        }
        List<String> ips = current.getStatus().getAddresses().stream()
                .filter(address -> "InternalIP".equals(address.getType())).map(NodeAddress::getAddress).toList();
        return ips.isEmpty() ? List.of("127.0.0.1") : ips;
    }

    private Map<String, Quantity> allocatable() {
        Node current = node;
        return current == null || current.getStatus() == null || current.getStatus().getAllocatable() == null
                ? Map.of() : current.getStatus().getAllocatable();
    }

    private void nodeChanged(Node node) {
        this.node = node;
        String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        if (cidr != null && !cidr.equals(podCidr)) {
            try {
                config.runtime.updatePodCidr(cidr);
                podCidr = cidr;
                LOG.info("node {} has pod range {}", config.nodeName, cidr);
                workers.resyncAll();
            } catch (IOException e) {
                LOG.warn("giving the runtime the pod range {} failed: {}", cidr, e.getMessage());
            }
        }
    }

    /** Also rotates their logs past 10 MiB, as upstream's container log manager does on the same beat. */
    private void trackRunningContainers() {
        for (io.k4j.kubelet.runtime.ContainerStatus container : workers.runningContainers()) {
            try {
                logRotator.rotate(container.id(), container.logPath());
            } catch (IOException | RuntimeException e) {
                LOG.debug("rotating the log of {}: {}", container.id(), e.toString());
            }
        }
        java.util.Set<String> running = workers.runningContainerIds();
        running.forEach(stats::track);
        tracked.stream().filter(id -> !running.contains(id)).forEach(stats::untrack);
        tracked = running;
    }

    /** Frees image disk space above the high threshold, sparing every image a container (even an exited one) uses. */
    private void collectImages() {
        try {
            ImageGarbageCollector.Result result = config.imageGc.garbageCollect(workers.imageIdsInUse());
            result.failure().ifPresent(message -> LOG.warn("image garbage collection: {}", message));
            if (!result.removedImageIds().isEmpty()) {
                LOG.info("image garbage collection freed {} bytes: {}", result.bytesFreed(), result.removedImageIds());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("image garbage collection failed: {}", e.toString());
        }
    }

    private void refreshVolumes() {
        for (Pod pod : workers.pods()) {
            try {
                volumes.refresh(pod);
            } catch (VolumeException | RuntimeException e) {
                LOG.debug("refreshing volumes of {}: {}", pod.getMetadata().getName(), e.toString());
            }
        }
    }

    private static final String BY_UID = "uid";

    /** The pod informer's store, looked up by uid. */
    private record InformedPods(SharedIndexInformer<Pod> informer) implements PodSource {
        @Override
        public Pod get(String uid) {
            List<Pod> pods = informer.getIndexer().byIndex(BY_UID, uid);
            return pods.isEmpty() ? null : pods.get(0);
        }

        @Override
        public List<Pod> list() {
            return informer.getStore().list();
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        informers.forEach(SharedIndexInformer::close);
        workers.close();
        stats.close();
        timerTasks.close();
        for (AutoCloseable part : owned.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", part, e.toString());
            }
        }
        events.close();
        config.runtime.close();
    }

    /** How a kubelet is put together; every collaborator is injected so tests can replace any of them. */
    public static final class Builder {
        private KubernetesClient client;
        private String nodeName;
        private Path dataDir;
        private ContainerRuntime runtime;
        private ImageService images;
        private ImageGarbageCollector imageGc;
        private ContainerProbes probes;
        private LifecycleHooks hooks;
        private Clock clock = Clock.systemUTC();
        private String cgroupRoot = "/k4j";
        private SandboxConfig.DnsConfig clusterDns;
        private int workers = 16;

        public Builder client(KubernetesClient value) {
            this.client = value;
            return this;
        }

        public Builder nodeName(String value) {
            this.nodeName = value;
            return this;
        }

        /** DATA_DIR/agent: pod volumes go to pods/, logs to logs/pods/ under it. */
        public Builder dataDir(Path value) {
            this.dataDir = value;
            return this;
        }

        public Builder runtime(ContainerRuntime value) {
            this.runtime = value;
            return this;
        }

        public Builder images(ImageService value) {
            this.images = value;
            return this;
        }

        /** Replaces the prober (default: upstream's probe workers through the runtime). */
        public Builder probes(ContainerProbes value) {
            this.probes = value;
            return this;
        }

        /** Replaces the lifecycle hook runner (default: exec, httpGet and sleep through the runtime). */
        public Builder hooks(LifecycleHooks value) {
            this.hooks = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Every pod's cgroup goes under this path (default /k4j). */
        public Builder cgroupRoot(String value) {
            this.cgroupRoot = value;
            return this;
        }

        /** The cluster DNS for ClusterFirst pods; without one they use the node's resolver. */
        public Builder clusterDns(SandboxConfig.DnsConfig value) {
            this.clusterDns = value;
            return this;
        }

        /** Image garbage collection by disk use, every 5 minutes (none if not given). */
        public Builder imageGarbageCollector(ImageGarbageCollector value) {
            this.imageGc = value;
            return this;
        }

        public Builder workers(int value) {
            this.workers = value;
            return this;
        }

        public Kubelet start() {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(nodeName, "nodeName");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(images, "images");
            return new Kubelet(this).start();
        }
    }
}
