package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.controllers.ControllerManager;
import io.k4j.controllers.ControllerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The controller manager's flags, shared by {@code k4j server} and {@code k4j controller-manager}. */
final class ControllerManagerOptions {

    @Option(names = "--controllers", split = ",", paramLabel = "NAME",
            description = "Controllers to run: * for all (the default), NAME to add one, -NAME to leave one out.")
    List<String> controllers = new ArrayList<>(List.of("*"));

    @Option(names = "--cluster-cidr", paramLabel = "CIDR", defaultValue = "10.42.0.0/16",
            description = "Pod network; each node gets a /24 of it (default: ${DEFAULT-VALUE}).")
    String clusterCidr;

    @Option(names = "--node-monitor-grace-period", paramLabel = "DURATION", defaultValue = "40s",
            converter = DurationConverter.class,
            description = "How long a node may stop renewing its lease before it is marked NotReady (default: ${DEFAULT-VALUE}).")
    Duration nodeMonitorGracePeriod;

    @Option(names = "--node-cidr-mask-size", paramLabel = "BITS", defaultValue = "24",
            description = "The prefix length of each node's pod CIDR (default: ${DEFAULT-VALUE}).")
    int nodeCidrMaskSize;

    @Option(names = "--node-startup-grace-period", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long a new node may take to report Ready before it is marked NotReady (default: ${DEFAULT-VALUE}).")
    Duration nodeStartupGracePeriod;

    @Option(names = "--terminated-pod-gc-threshold", paramLabel = "N", defaultValue = "12500",
            description = "Finished pods kept before the oldest are deleted; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int terminatedPodGcThreshold;

    ControllerOptions options() {
        io.k4j.controllers.nodeipam.NodeIpamController.checkClusterCidr(clusterCidr, nodeCidrMaskSize);
        return ControllerOptions.defaults().withClusterCidr(clusterCidr)
                .withNodeMonitorGracePeriod(nodeMonitorGracePeriod).withNodeCidrMaskSize(nodeCidrMaskSize)
                .withNodeStartupGracePeriod(nodeStartupGracePeriod)
                .withTerminatedPodGcThreshold(terminatedPodGcThreshold);
    }

    /** Starts a controller manager that uses (and on close, closes) the client made from the kubeconfig. */
    AutoCloseable start(Path kubeconfig, boolean leaderElect) throws Exception {
        KubernetesClient client = Clients.fromKubeconfig(kubeconfig);
        ControllerManager manager = ControllerManager.builder().client(client).options(options())
                .controllers(controllers).leaderElect(leaderElect).start();
        return () -> {
            manager.close();
            client.close();
        };
    }
}
