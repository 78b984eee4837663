package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.controllers.ControllerManager;
import io.k4j.controllers.ControllerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    // Upstream's --concurrent-*-syncs: workers per controller (unset: upstream's default, 5 for most).
    @Option(names = "--concurrent-deployment-syncs", paramLabel = "N", description = "Workers of the deployment controller.")
    Integer deploymentSyncs;

    @Option(names = "--concurrent-replicaset-syncs", paramLabel = "N", description = "Workers of the replicaset controller.")
    Integer replicasetSyncs;

    @Option(names = "--concurrent-rc-syncs", paramLabel = "N", description = "Workers of the replicationcontroller controller.")
    Integer rcSyncs;

    @Option(names = "--concurrent-statefulset-syncs", paramLabel = "N", description = "Workers of the statefulset controller.")
    Integer statefulsetSyncs;

    @Option(names = "--concurrent-daemonset-syncs", paramLabel = "N", description = "Workers of the daemonset controller.")
    Integer daemonsetSyncs;

    @Option(names = "--concurrent-job-syncs", paramLabel = "N", description = "Workers of the job controller.")
    Integer jobSyncs;

    @Option(names = "--concurrent-cron-job-syncs", paramLabel = "N", description = "Workers of the cronjob controller.")
    Integer cronJobSyncs;

    @Option(names = "--concurrent-ttl-after-finished-syncs", paramLabel = "N", description = "Workers of the ttl-after-finished controller.")
    Integer ttlAfterFinishedSyncs;

    @Option(names = "--concurrent-endpoint-syncs", paramLabel = "N", description = "Workers of the endpoints controller.")
    Integer endpointSyncs;

    @Option(names = "--concurrent-service-endpoint-syncs", paramLabel = "N", description = "Workers of the endpointslice controller.")
    Integer serviceEndpointSyncs;

    @Option(names = "--concurrent-namespace-syncs", paramLabel = "N", description = "Workers of the namespace controller.")
    Integer namespaceSyncs;

    @Option(names = "--concurrent-gc-syncs", paramLabel = "N", description = "Workers of the garbagecollector controller.")
    Integer gcSyncs;

    @Option(names = "--concurrent-resource-quota-syncs", paramLabel = "N", description = "Workers of the resourcequota controller.")
    Integer resourceQuotaSyncs;

    ControllerOptions options() {
        io.k4j.controllers.nodeipam.NodeIpamController.checkClusterCidr(clusterCidr, nodeCidrMaskSize);
        ControllerOptions.Builder builder = ControllerOptions.builder().clusterCidr(clusterCidr)
                .nodeMonitorGracePeriod(nodeMonitorGracePeriod).nodeCidrMaskSize(nodeCidrMaskSize)
                .nodeStartupGracePeriod(nodeStartupGracePeriod).terminatedPodGcThreshold(terminatedPodGcThreshold);
        Map<String, Integer> workers = new LinkedHashMap<>();
        workers.put("deployment", deploymentSyncs);
        workers.put("replicaset", replicasetSyncs);
        workers.put("replicationcontroller", rcSyncs);
        workers.put("statefulset", statefulsetSyncs);
        workers.put("daemonset", daemonsetSyncs);
        workers.put("job", jobSyncs);
        workers.put("cronjob", cronJobSyncs);
        workers.put("ttl-after-finished", ttlAfterFinishedSyncs);
        workers.put("endpoints", endpointSyncs);
        workers.put("endpointslice", serviceEndpointSyncs);
        workers.put("namespace", namespaceSyncs);
        workers.put("garbagecollector", gcSyncs);
        workers.put("resourcequota", resourceQuotaSyncs);
        workers.forEach((controller, count) -> {
            if (count != null) {
                builder.concurrentSyncs(controller, count);
            }
        });
        return builder.build();
    }

    /** Starts a controller manager that uses (and on close, closes) the client made from the kubeconfig. */
    AutoCloseable start(Path kubeconfig, boolean leaderElect) throws Exception {
        ControllerOptions options = options(); // bad flags are refused before anything connects
        KubernetesClient client = Clients.fromKubeconfig(kubeconfig);
        ControllerManager manager = ControllerManager.builder().client(client).options(options)
                .controllers(controllers).leaderElect(leaderElect).start();
        return () -> {
            manager.close();
            client.close();
        };
    }
}
