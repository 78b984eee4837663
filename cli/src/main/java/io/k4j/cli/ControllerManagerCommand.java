package io.k4j.cli;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k4j controller-manager}: the controllers alone, a client of some API server, leader-elected through a Lease. */
@Command(name = "controller-manager", description = "Run the controller manager against an API server (leader-elected).")
final class ControllerManagerCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--kubeconfig", paramLabel = "FILE", required = true, description = "How to reach the API server.")
    Path kubeconfig;

    @Option(names = "--leader-elect", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Take the kube-system/kube-controller-manager Lease before running (default: ${DEFAULT-VALUE}).")
    boolean leaderElect;

    @Mixin
    ControllerManagerOptions controllers = new ControllerManagerOptions();

    @Override
    public Integer call() throws Exception {
        AutoCloseable manager = controllers.start(kubeconfig, leaderElect);
        System.out.println("k4j controller-manager: running"
                + (leaderElect ? ", campaigning for the kube-system/kube-controller-manager lease" : ""));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                manager.close();
            } catch (Exception e) {
                System.err.println("k4j: stopping the controller manager failed: " + e);
            }
            stopped.countDown();
        }, "k4j-controller-manager-shutdown"));
        stopped.await();
        return 0;
    }
}
