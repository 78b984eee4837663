package io.k4j.controllers;

import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.daemonset.DaemonSetController;
import io.k4j.controllers.statefulset.StatefulSetController;
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
        controllers.put(StatefulSetController.NAME, options -> new StatefulSetController());
        controllers.put(DaemonSetController.NAME, options -> new DaemonSetController(options.clock()));
        return controllers;
    }
}
