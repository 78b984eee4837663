package io.k4j.controllers;

import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.serviceaccount.ServiceAccountController;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Every controller the manager can run, by upstream's name (the names --controllers takes). */
public final class KnownControllers {

    private KnownControllers() {
    }

    public static Map<String, Function<ControllerOptions, Reconciler>> all() {
        Map<String, Function<ControllerOptions, Reconciler>> controllers = new LinkedHashMap<>();
        controllers.put(ServiceAccountController.NAME, options -> new ServiceAccountController());
        controllers.put(io.k4j.controllers.namespace.NamespaceController.NAME,
                options -> new io.k4j.controllers.namespace.NamespaceController());
        controllers.put(io.k4j.controllers.garbagecollector.GarbageCollector.NAME,
                options -> new io.k4j.controllers.garbagecollector.GarbageCollector());
        controllers.put(io.k4j.controllers.endpoints.EndpointsController.NAME,
                options -> new io.k4j.controllers.endpoints.EndpointsController());
        controllers.put(io.k4j.controllers.endpointslice.EndpointSliceController.NAME,
                options -> new io.k4j.controllers.endpointslice.EndpointSliceController(options.clock()));
        controllers.put(io.k4j.controllers.job.JobController.NAME,
                options -> new io.k4j.controllers.job.JobController(options.clock()));
        controllers.put(io.k4j.controllers.cronjob.CronJobController.NAME,
                options -> new io.k4j.controllers.cronjob.CronJobController());
        controllers.put(io.k4j.controllers.ttlafterfinished.TtlAfterFinishedController.NAME,
                options -> new io.k4j.controllers.ttlafterfinished.TtlAfterFinishedController());
        controllers.put(io.k4j.controllers.replicaset.ReplicaSetController.NAME,
                options -> new io.k4j.controllers.replicaset.ReplicaSetController(options.clock()));
        controllers.put(io.k4j.controllers.replicaset.ReplicationManager.NAME,
                options -> new io.k4j.controllers.replicaset.ReplicationManager(options.clock()));
        controllers.put(io.k4j.controllers.deployment.DeploymentController.NAME,
                options -> new io.k4j.controllers.deployment.DeploymentController());
        controllers.put(io.k4j.controllers.nodelifecycle.NodeLifecycleController.NAME,
                io.k4j.controllers.nodelifecycle.NodeLifecycleController::new);
        controllers.put(io.k4j.controllers.tainteviction.TaintEvictionController.NAME,
                options -> new io.k4j.controllers.tainteviction.TaintEvictionController());
        controllers.put(io.k4j.controllers.disruption.DisruptionController.NAME,
                options -> new io.k4j.controllers.disruption.DisruptionController());
        controllers.put(io.k4j.controllers.nodeipam.NodeIpamController.NAME,
                io.k4j.controllers.nodeipam.NodeIpamController::new);
        controllers.put(io.k4j.controllers.podgc.PodGcController.NAME, io.k4j.controllers.podgc.PodGcController::new);
        controllers.put(io.k4j.controllers.resourcequota.ResourceQuotaController.NAME,
                options -> new io.k4j.controllers.resourcequota.ResourceQuotaController());
        return controllers;
    }

    /** Upstream's event source component for a controller: mostly NAME-controller, with upstream's exceptions. */
    public static String eventSource(String name) {
        return switch (name) {
            case "replicationcontroller" -> "replication-controller";
            case "endpoints" -> "endpoint-controller";
            case "node-lifecycle" -> "node-controller";
            case "node-ipam" -> "cidrAllocator";
            case "disruption" -> "controllermanager";
            case "garbagecollector" -> "garbage-collector-controller";
            case "pod-garbage-collector" -> "pod-garbage-collector";
            default -> name + "-controller";
        };
    }
}
