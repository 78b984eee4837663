package io.k4j.controllers;

import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.cronjob.CronJobController;
import io.k4j.controllers.daemonset.DaemonSetController;
import io.k4j.controllers.deployment.DeploymentController;
import io.k4j.controllers.disruption.DisruptionController;
import io.k4j.controllers.endpoints.EndpointsController;
import io.k4j.controllers.endpointslice.EndpointSliceController;
import io.k4j.controllers.garbagecollector.GarbageCollector;
import io.k4j.controllers.job.JobController;
import io.k4j.controllers.localpath.LocalPathProvisioner;
import io.k4j.controllers.namespace.NamespaceController;
import io.k4j.controllers.nodeipam.NodeIpamController;
import io.k4j.controllers.nodelifecycle.NodeLifecycleController;
import io.k4j.controllers.podgc.PodGcController;
import io.k4j.controllers.replicaset.ReplicaSetController;
import io.k4j.controllers.replicaset.ReplicationManager;
import io.k4j.controllers.resourcequota.ResourceQuotaController;
import io.k4j.controllers.serviceaccount.ServiceAccountController;
import io.k4j.controllers.statefulset.StatefulSetController;
import io.k4j.controllers.tainteviction.TaintEvictionController;
import io.k4j.controllers.ttlafterfinished.TtlAfterFinishedController;
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
        controllers.put(NamespaceController.NAME, options -> new NamespaceController());
        controllers.put(GarbageCollector.NAME, options -> new GarbageCollector());
        controllers.put(EndpointsController.NAME, options -> new EndpointsController());
        controllers.put(EndpointSliceController.NAME, options -> new EndpointSliceController(options.clock()));
        controllers.put(ReplicaSetController.NAME, options -> new ReplicaSetController(options.clock()));
        controllers.put(ReplicationManager.NAME, options -> new ReplicationManager(options.clock()));
        controllers.put(DeploymentController.NAME, options -> new DeploymentController());
        controllers.put(StatefulSetController.NAME, options -> new StatefulSetController());
        controllers.put(DaemonSetController.NAME, options -> new DaemonSetController(options.clock()));
        controllers.put(JobController.NAME, options -> new JobController(options.clock()));
        controllers.put(CronJobController.NAME, options -> new CronJobController());
        controllers.put(TtlAfterFinishedController.NAME, options -> new TtlAfterFinishedController());
        controllers.put(NodeLifecycleController.NAME, NodeLifecycleController::new);
        controllers.put(TaintEvictionController.NAME, options -> new TaintEvictionController());
        controllers.put(NodeIpamController.NAME, NodeIpamController::new);
        controllers.put(PodGcController.NAME, PodGcController::new);
        controllers.put(DisruptionController.NAME, options -> new DisruptionController());
        controllers.put(ResourceQuotaController.NAME, options -> new ResourceQuotaController());
        controllers.put(LocalPathProvisioner.NAME, options -> new LocalPathProvisioner(options.localStorageDir()));
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
