package io.k4j.simulation;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Simulated nodes, KWOK-style: Node objects that are registered, report Ready and keep their Leases renewed, and
 * whose pods are acted out (IPs, Running, exits, restarts, deletion) without any container. Everything goes
 * through the API as a client would; one timer thread, one pod and one node informer and a few writer threads
 * serve all nodes.
 */
public final class SimulatedNodes implements AutoCloseable {

    /** Upstream kubelet's nodeStatusReportFrequency: status is re-posted this often even when unchanged. */
    public static final Duration STATUS_REPORT_INTERVAL = Duration.ofMinutes(5);
    public static final Duration LEASE_INTERVAL = Duration.ofSeconds(10);

    private final Builder config;
    private final TaskScheduler scheduler;
    private final KeyedWorkQueue writes;
    private final Map<String, SimulatedNode> nodes = new LinkedHashMap<>();
    private final NodeKeeper keeper;
    private final PodActor pods;
    private final List<TaskScheduler.Cancellable> timers = new ArrayList<>();
    private final NodeDriftWatcher nodeDrift;
    private final Heartbeats heartbeats = new Heartbeats();
    private SharedIndexInformer<Pod> podInformer;
    private SharedIndexInformer<Node> nodeInformer;

    private SimulatedNodes(Builder config) {
        this.config = config;
        this.scheduler = config.scheduler != null ? config.scheduler : new ExecutorTaskScheduler();
        this.writes = new KeyedWorkQueue(config.writers);
        int total = config.count + config.namedNodes.size();
        for (int index = 0; index < config.count; index++) {
            SimulatedNode node = SimulatedNode.of(index, total, config.zones);
            nodes.put(node.name(), node);
        }
        for (String name : config.namedNodes) {
            SimulatedNode node = SimulatedNode.named(name, nodes.size(), total, config.zones);
            nodes.put(node.name(), node);
        }
        NodeRenderer renderer = new NodeRenderer(config.shape);
        this.keeper = new NodeKeeper(config.client, renderer, scheduler.clock());
        this.pods = new PodActor(config.client, Map.copyOf(nodes), scheduler, writes, heartbeats);
        this.nodeDrift = new NodeDriftWatcher(Map.copyOf(nodes), renderer, keeper, writes, heartbeats, pods::resume);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> nodeNames() {
        return List.copyOf(nodes.keySet());
    }

    /** False while the node plays dead (see {@link Heartbeats}). */
    boolean beating(String node) {
        return heartbeats.beating(node);
    }

    /** Pods that hold an IP on one of these nodes. */
    int actedPods() {
        return pods.actedPods();
    }

    /** Registers every node (with its Lease), then starts the heartbeats and the node and pod informers. */
    private SimulatedNodes start() throws InterruptedException {
        registerAll();
        for (SimulatedNode node : nodes.values()) {
            // Spread each kind of heartbeat evenly over its interval, so thousands of nodes make a steady trickle.
            timers.add(scheduler.scheduleAtFixedRate(
                    () -> whileBeating(node, "lease/", () -> keeper.renewLease(node)),
                    spread(config.leaseInterval, node.index()), config.leaseInterval));
            timers.add(scheduler.scheduleAtFixedRate(
                    () -> whileBeating(node, "node/", () -> keeper.reportStatus(node)),
                    spread(config.statusReportInterval, node.index()), config.statusReportInterval));
        }
        nodeInformer = config.client.nodes().runnableInformer(0);
        nodeInformer.addEventHandler(nodeDrift);
        podInformer = config.client.pods().inAnyNamespace().runnableInformer(0);
        podInformer.addEventHandler(pods);
        pods.readFrom(podInformer.getStore());
        awaitSync(nodeInformer, "node");
        awaitSync(podInformer, "pod");
        return this;
    }

    private void whileBeating(SimulatedNode node, String kind, Runnable heartbeat) {
        if (heartbeats.beating(node.name())) {
            writes.enqueue(kind + node.name(), heartbeat);
        }
    }

    private void awaitSync(SharedIndexInformer<?> informer, String kind) throws InterruptedException {
        try {
            informer.start().toCompletableFuture().get(config.startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("simulation: the " + kind + " informer did not sync", e);
        }
    }

    private Duration spread(Duration interval, int index) {
        return interval.multipliedBy(index + 1L).dividedBy(nodes.size());
    }

    private void registerAll() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(nodes.size());
        AtomicInteger failed = new AtomicInteger();
        for (SimulatedNode node : nodes.values()) {
            writes.enqueue("node/" + node.name(), () -> {
                try {
                    keeper.register(node);
                    keeper.renewLease(node);
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    throw e;
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(config.startTimeout.toMillis(), TimeUnit.MILLISECONDS) || failed.get() > 0) {
            throw new IllegalStateException("simulation: " + (failed.get() + done.getCount()) + " of " + nodes.size()
                    + " nodes could not be registered");
        }
    }

    @Override
    public void close() {
        timers.forEach(TaskScheduler.Cancellable::cancel);
        for (SharedIndexInformer<?> informer : java.util.Arrays.asList(podInformer, nodeInformer)) {
            if (informer != null) {
                informer.stop();
            }
        }
        pods.close();
        writes.close();
        if (config.scheduler == null) {
            scheduler.close();
        }
    }

    @Override
    public String toString() {
        return "simulated nodes (" + nodes.size() + ")";
    }

    /** How many nodes, of what shape, and how they heartbeat. Only the client is required. */
    public static final class Builder {
        private KubernetesClient client;
        private int count = 1;
        private NodeShape shape = NodeShape.defaults();
        private int zones;
        private Duration leaseInterval = LEASE_INTERVAL;
        private Duration statusReportInterval = STATUS_REPORT_INTERVAL;
        private int writers = 4;
        private Duration startTimeout = Duration.ofMinutes(2);
        private TaskScheduler scheduler;
        private List<String> namedNodes = List.of();

        private Builder() {
        }

        /** The API client everything goes through; the caller keeps owning (and closes) it. */
        public Builder client(KubernetesClient client) {
            this.client = client;
            return this;
        }

        public Builder count(int count) {
            if (count < 0 || count > AddressPlan.MAX_NODES) {
                throw new IllegalArgumentException("simulated nodes: " + count + " is not in 0.." + AddressPlan.MAX_NODES);
            }
            this.count = count;
            return this;
        }

        /**
         * Nodes with names of their own (a machine's node that runs the simulated runtime), placed after
         * sim-node-0..count-1 in the address plan; with these, count may be 0.
         */
        public Builder namedNodes(List<String> names) {
            this.namedNodes = List.copyOf(names);
            return this;
        }

        public Builder shape(NodeShape shape) {
            this.shape = Objects.requireNonNull(shape);
            return this;
        }

        /** Spreads the nodes round-robin over zone-0..zone-(zones-1); 0 gives them no zone labels. */
        public Builder zones(int zones) {
            if (zones < 0) {
                throw new IllegalArgumentException("simulated node zones: " + zones + " is negative");
            }
            this.zones = zones;
            return this;
        }

        public Builder leaseInterval(Duration leaseInterval) {
            this.leaseInterval = positive(leaseInterval, "lease interval");
            return this;
        }

        public Builder statusReportInterval(Duration statusReportInterval) {
            this.statusReportInterval = positive(statusReportInterval, "status report interval");
            return this;
        }

        /** Threads that write to the API server. */
        public Builder writers(int writers) {
            this.writers = writers;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = positive(startTimeout, "start timeout");
            return this;
        }

        /** The clock and timer to run on (default: the system clock and one timer thread, closed with us). */
        public Builder scheduler(TaskScheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Registers the nodes and starts acting; returns once every node is registered and pods are watched. */
        public SimulatedNodes start() throws InterruptedException {
            Objects.requireNonNull(client, "client");
            if (count + namedNodes.size() < 1 || count + namedNodes.size() > AddressPlan.MAX_NODES) {
                throw new IllegalArgumentException("simulated nodes: " + (count + namedNodes.size()) + " is not in 1.."
                        + AddressPlan.MAX_NODES);
            }
            if (new java.util.HashSet<>(namedNodes).size() != namedNodes.size() || namedNodes.stream()
                    .anyMatch(name -> name.matches(SimulatedNode.NAME_PREFIX + "\\d+"))) {
                throw new IllegalArgumentException("simulated nodes: named nodes must differ from each other and from "
                        + SimulatedNode.NAME_PREFIX + "N: " + namedNodes);
            }
            SimulatedNodes simulated = new SimulatedNodes(this);
            try {
                return simulated.start();
            } catch (RuntimeException | InterruptedException e) {
                simulated.close();
                throw e;
            }
        }

        private static Duration positive(Duration duration, String what) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
