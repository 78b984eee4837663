package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.simulation.NodeShape;
import io.k4j.simulation.SimulatedNodes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --simulated-node*} options of {@code k4j server}, and starting the nodes they describe. */
final class SimulatedNodesOptions {

    @Option(names = "--simulated-nodes", paramLabel = "N", defaultValue = "0",
            description = "Register N simulated nodes, sim-node-0..: pods bound to them are acted out, KWOK-style "
                    + "(default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--simulated-node-capacity", paramLabel = "RESOURCES", defaultValue = NodeShape.DEFAULT_CAPACITY,
            description = "Capacity (and allocatable) of each simulated node (default: ${DEFAULT-VALUE}).")
    String capacity;

    @Option(names = "--simulated-node-labels", paramLabel = "K=V,...", description = "Labels for every simulated node.")
    String labels;

    @Option(names = "--simulated-node-taints", paramLabel = "KEY=VALUE:EFFECT,...",
            description = "Taints for every simulated node.")
    String taints;

    @Option(names = "--simulated-node-zones", paramLabel = "N", defaultValue = "0",
            description = "Spread simulated nodes round-robin over zones zone-0..zone-(N-1) (default: ${DEFAULT-VALUE}, "
                    + "no zone labels).")
    int zones;

    @Option(names = "--simulated-node-lease-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often each simulated node renews its Lease (default: ${DEFAULT-VALUE}).")
    Duration leaseInterval;

    boolean enabled() {
        return count > 0;
    }

    /** Starts the nodes as a client of the API server the admin kubeconfig points at; closing stops both. */
    AutoCloseable start(Path kubeconfig) throws IOException, InterruptedException {
        return start(Clients.fromKubeconfig(kubeconfig), List.of());
    }

    /**
     * Starts these nodes and {@code namedNodes} besides (a machine's node on the simulated runtime) through
     * {@code client}, which closing stops too.
     */
    AutoCloseable start(KubernetesClient client, List<String> namedNodes) throws InterruptedException {
        try {
            NodeShape shape = new NodeShape(NodeShape.parseCapacity(capacity), NodeShape.parseLabels(labels),
                    NodeShape.parseTaints(taints));
            SimulatedNodes nodes = SimulatedNodes.builder().client(client).count(count).namedNodes(namedNodes)
                    .shape(shape).zones(zones).leaseInterval(leaseInterval).start();
            return new AutoCloseable() {
                @Override
                public void close() {
                    nodes.close();
                    client.close();
                }

                @Override
                public String toString() {
                    return nodes.toString();
                }
            };
        } catch (RuntimeException | InterruptedException e) {
            client.close();
            throw e;
        }
    }
}
