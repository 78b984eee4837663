package io.k4j.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.client.EventRecorder;
import io.k4j.kubelet.image.Image;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's side of its Node: registers it (or adopts a Node of the same name, keeping the spec and taints others
 * set), keeps its status current and renews its Lease. Status is computed every 10 s (upstream's
 * nodeStatusUpdateFrequency) but written only when it changed or when 5 minutes passed since the last write
 * (nodeStatusReportFrequency), so lastHeartbeatTime moves only then; the Lease is the frequent heartbeat.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    public static final String KUBELET_VERSION = "v1.32.0+k4j";
    public static final Duration STATUS_UPDATE_INTERVAL = Duration.ofSeconds(10);
    public static final Duration STATUS_REPORT_INTERVAL = Duration.ofMinutes(5);
    public static final Duration LEASE_RENEW_INTERVAL = Duration.ofSeconds(10);
    /** What upstream's kubelet reports while the runtime's network (CNI) is not set up. */
    public static final String NETWORK_NOT_READY = "container runtime network not ready: NetworkReady=false "
            + "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";
    static final String ATTACH_DETACH_ANNOTATION = "volumes.kubernetes.io/controller-managed-attach-detach";

    private final Builder config;
    private final KubernetesClient client;
    private final String nodeName;
    private final NodeStatusComposer.Facts facts;
    private final NodeConditions conditions;
    private final NodeLease lease;
    private final ScheduledExecutorService scheduler;
    private final EventRecorder events;
    /** Upstream's node reference for events: the Node by name, its UID being the node name. */
    private final Node eventTarget;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private volatile Node lastNode;
    private volatile String podCidr;
    private Instant lastReport;

    private NodeAgent(Builder config) {
        this.config = config;
        this.client = config.client;
        this.nodeName = config.nodeName;
        MachineInfo machine = config.machine != null ? config.machine : MachineInfo.local();
        this.facts = new NodeStatusComposer.Facts(machine, config.nodeIp,
                config.hostname != null ? config.hostname : machine.hostname(), config.kubeletPort, KUBELET_VERSION,
                config.containerRuntimeVersion);
        this.conditions = new NodeConditions(config.thresholds, NodeConditions.PRESSURE_TRANSITION_PERIOD);
        this.lease = new NodeLease(client, nodeName, config.clock);
        this.events = new EventRecorder(client, config.clock, "kubelet");
        this.eventTarget = new NodeBuilder().withNewMetadata().withName(nodeName).withUid(nodeName).endMetadata().build();
        this.scheduler = config.scheduler != null ? config.scheduler : Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("k4j-node-agent").daemon().factory());
    }

    public static Builder builder() {
        return new Builder();
    }

    public String nodeName() {
        return nodeName;
    }

    /** The node's pod CIDR once the node IPAM controller gave it one, else null. */
    public String podCidr() {
        return podCidr;
    }

    /**
     * Creates the Node, or adopts the one there: our labels and annotations are laid over its own; its spec (taints,
     * unschedulable, pod CIDR) is left as it is. Then writes the status.
     */
    public synchronized void register() {
        Node wanted = new NodeBuilder()
                .withNewMetadata().withName(nodeName).withLabels(labels()).addToAnnotations(ATTACH_DETACH_ANNOTATION, "true")
                .endMetadata()
                .withNewSpec().withTaints(config.taints).endSpec()
                .build();
        Node stored;
        try {
            stored = client.nodes().resource(wanted).create();
            LOG.info("registered node {}", nodeName);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            stored = retryOnConflict(() -> {
                Node existing = client.nodes().withName(nodeName).get();
                if (existing == null) {
                    return client.nodes().resource(wanted).create();
                }
                return client.nodes().resource(new NodeBuilder(existing).editMetadata()
                        .addToLabels(wanted.getMetadata().getLabels())
                        .addToAnnotations(wanted.getMetadata().getAnnotations()).endMetadata().build()).update();
            });
            LOG.info("adopted the existing node {}", nodeName);
        }
        lastNode = stored;
        lastReport = null;
        syncStatus();
    }

    /**
     * Computes the status and writes it if it changed or the report interval passed; registers the node again if it
     * was deleted. Also hands a newly assigned pod CIDR to the runtime.
     */
    public synchronized void syncStatus() {
        Node node = client.nodes().withName(nodeName).get();
        if (node == null) {
            LOG.warn("node {} is gone from the API server; registering it again", nodeName);
            register();
            return;
        }
        notePodCidr(node);
        Instant now = config.clock.instant();
        NodeSignals signals = readSignals();
        boolean reportDue = lastReport == null || !now.isBefore(lastReport.plus(config.statusReportInterval));
        NodeStatus wanted = desiredStatus(node.getStatus(), signals, now);
        if (!reportDue && !NodeStatusComposer.changed(node.getStatus(), wanted)) {
            lastNode = node;
            return;
        }
        recordTransitions(node.getStatus(), wanted);
        lastNode = retryOnConflict(new Supplier<>() {
            Node latest = node;

            @Override
            public Node get() {
                if (latest == null) {
                    latest = client.nodes().withName(nodeName).get();
                }
                Node base = Objects.requireNonNull(latest, () -> "node " + nodeName + " was deleted");
                latest = null;
                return client.nodes().resource(new NodeBuilder(base)
                        .withStatus(desiredStatus(base.getStatus(), signals, now)).build()).updateStatus();
            }
        });
        lastReport = now;
    }

    /** Renews the node's Lease (creating it, owned by the Node, if it is missing). */
    public void renewLease() {
        lease.renew(lastNode);
    }

    /** Registers the node, takes the Lease and starts the status and Lease timers. */
    public NodeAgent start() {
        events.normal(eventTarget, "Starting", "Starting kubelet.");
        register();
        renewLease();
        timers.add(every(config.leaseInterval, "renew the lease of node " + nodeName, this::renewLease));
        timers.add(every(config.statusUpdateInterval, "update the status of node " + nodeName, this::syncStatus));
        return this;
    }

    @Override
    public void close() {
        timers.forEach(timer -> timer.cancel(false));
        if (config.scheduler == null) {
            scheduler.shutdownNow();
        }
        events.close();
    }

    @Override
    public String toString() {
        return "node agent " + nodeName;
    }

    private NodeStatus desiredStatus(NodeStatus current, NodeSignals signals, Instant now) {
        List<NodeCondition> previous = current == null ? List.of() : current.getConditions();
        List<NodeCondition> ours = conditions.compute(signals, notReadyReasons(), previous, now);
        return NodeStatusComposer.compose(current, facts, signals, config.thresholds, ours, config.images.get());
    }

    /** Upstream's node events for each of our conditions that is new or flipped: NodeReady, NodeHasDiskPressure... */
    private void recordTransitions(NodeStatus before, NodeStatus after) {
        List<NodeCondition> old = before == null ? List.of() : before.getConditions();
        for (NodeCondition condition : after.getConditions()) {
            String reason = condition.getReason() == null ? "" : condition.getReason();
            if (!reason.startsWith("Kubelet")) {
                continue; // not one of ours
            }
            boolean flipped = old.stream().noneMatch(previous -> condition.getType().equals(previous.getType())
                    && condition.getStatus().equals(previous.getStatus()));
            if (flipped) {
                String event = condition.getType().equals("Ready")
                        ? ("True".equals(condition.getStatus()) ? "NodeReady" : "NodeNotReady")
                        : "Node" + reason.substring("Kubelet".length());
                events.normal(eventTarget, event, "Node " + nodeName + " status is now: " + event);
            }
        }
    }

    private List<String> notReadyReasons() {
        if (config.readiness != null) {
            return config.readiness.get();
        }
        return podCidr == null ? List.of(NETWORK_NOT_READY) : List.of();
    }

    private void notePodCidr(Node node) {
        String assigned = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        if (assigned != null && !assigned.isEmpty() && !assigned.equals(podCidr)) {
            config.podCidrListener.accept(assigned);
            podCidr = assigned;
            LOG.info("node {} has pod CIDR {}", nodeName, assigned);
        }
    }

    private NodeSignals readSignals() {
        try {
            return config.signals != null ? config.signals.get() : NodeSignals.read(config.hostFiles, config.dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Upstream's default labels, then the user's (--node-label). */
    private Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", facts.machine().architecture());
        labels.put("beta.kubernetes.io/instance-type", "k4j");
        labels.put("beta.kubernetes.io/os", facts.machine().operatingSystem());
        labels.put("kubernetes.io/arch", facts.machine().architecture());
        labels.put("kubernetes.io/hostname", facts.hostname());
        labels.put("kubernetes.io/os", facts.machine().operatingSystem());
        labels.put("node.kubernetes.io/instance-type", "k4j");
        labels.putAll(config.labels);
        return labels;
    }

    private ScheduledFuture<?> every(Duration period, String what, Runnable task) {
        return scheduler.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("could not {}: {}", what, e.getMessage());
            }
        }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static Node retryOnConflict(Supplier<Node> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** The node's settings; client, node name and node IP are required. */
    public static final class Builder {
        private KubernetesClient client;
        private String nodeName;
        private String nodeIp;
        private String hostname;
        private int kubeletPort = 10250;
        private Path dataDir = Path.of("/");
        private Map<String, String> labels = Map.of();
        private List<Taint> taints = List.of();
        private String containerRuntimeVersion = "runc://unknown";
        private Supplier<List<Image>> images = List::of;
        private Supplier<List<String>> readiness;
        private Consumer<String> podCidrListener = cidr -> { };
        private MachineInfo machine;
        private HostFiles hostFiles = HostFiles.system();
        private Supplier<NodeSignals> signals;
        private EvictionThresholds thresholds = EvictionThresholds.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private Duration statusUpdateInterval = STATUS_UPDATE_INTERVAL;
        private Duration statusReportInterval = STATUS_REPORT_INTERVAL;
        private Duration leaseInterval = LEASE_RENEW_INTERVAL;

        private Builder() {
        }

        /** The API client (the caller keeps owning it). */
        public Builder client(KubernetesClient apiClient) {
            this.client = apiClient;
            return this;
        }

        public Builder nodeName(String name) {
            this.nodeName = name;
            return this;
        }

        /** The InternalIP address (see {@link NodeAddresses#pick}). */
        public Builder nodeIp(String address) {
            this.nodeIp = address;
            return this;
        }

        /** The Hostname address and kubernetes.io/hostname label (default: the machine's hostname). */
        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        /** status.daemonEndpoints.kubeletEndpoint.Port: where the streaming server listens. */
        public Builder kubeletPort(int port) {
            this.kubeletPort = port;
            return this;
        }

        /** The data dir: its filesystem is the node's ephemeral-storage and nodefs. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** --node-label: set at every registration, over the default labels. */
        public Builder labels(Map<String, String> nodeLabels) {
            this.labels = Map.copyOf(nodeLabels);
            return this;
        }

        /** --node-taint: set only when the node is created (upstream's --register-with-taints). */
        public Builder taints(List<Taint> registerWithTaints) {
            this.taints = List.copyOf(registerWithTaints);
            return this;
        }

        /** nodeInfo.containerRuntimeVersion, e.g. "runc://1.1.5". */
        public Builder containerRuntimeVersion(String version) {
            this.containerRuntimeVersion = version;
            return this;
        }

        /** The node's images, for status.images. */
        public Builder images(Supplier<List<Image>> nodeImages) {
            this.images = nodeImages;
            return this;
        }

        /**
         * Why the node is not ready (runtime and network problems, in upstream's words); an empty list means Ready.
         * Default: {@link #NETWORK_NOT_READY} until the node has a pod CIDR.
         */
        public Builder readiness(Supplier<List<String>> notReadyReasons) {
            this.readiness = notReadyReasons;
            return this;
        }

        /** Called with the node's pod CIDR when it is first seen or changes (CRI's UpdateRuntimeConfig). */
        public Builder podCidrListener(Consumer<String> listener) {
            this.podCidrListener = listener;
            return this;
        }

        /** The machine's facts (default: read from this machine). */
        public Builder machine(MachineInfo info) {
            this.machine = info;
            return this;
        }

        /** Where /proc and /etc are read (default: this machine). */
        public Builder hostFiles(HostFiles files) {
            this.hostFiles = files;
            return this;
        }

        /** Where the eviction signals come from (default: read from the host files and data dir). */
        public Builder signals(Supplier<NodeSignals> source) {
            this.signals = source;
            return this;
        }

        public Builder thresholds(EvictionThresholds evictionThresholds) {
            this.thresholds = evictionThresholds;
            return this;
        }

        public Builder clock(Clock source) {
            this.clock = source;
            return this;
        }

        /** The timer thread (default: one of our own, stopped on close). */
        public Builder scheduler(ScheduledExecutorService timer) {
            this.scheduler = timer;
            return this;
        }

        public Builder statusUpdateInterval(Duration interval) {
            this.statusUpdateInterval = interval;
            return this;
        }

        public Builder statusReportInterval(Duration interval) {
            this.statusReportInterval = interval;
            return this;
        }

        public Builder leaseInterval(Duration interval) {
            this.leaseInterval = interval;
            return this;
        }

        /** The agent, not yet registered: call {@link NodeAgent#start()} (or its steps, in tests). */
        public NodeAgent build() {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(nodeName, "nodeName");
            Objects.requireNonNull(nodeIp, "nodeIp");
            return new NodeAgent(this);
        }

        /** Builds, registers and starts the timers. */
        public NodeAgent start() {
            NodeAgent agent = build();
            try {
                return agent.start();
            } catch (RuntimeException e) {
                agent.close();
                throw e;
            }
        }
    }
}
