package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.scheduler.SchedulerServer;
import io.k4j.scheduler.config.SchedulerConfiguration;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code k4j scheduler}: the scheduler alone, a client of some API server, leader-elected through a Lease. */
@Command(name = "scheduler", description = "Run the scheduler against an API server (leader-elected).")
final class SchedulerCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--kubeconfig", paramLabel = "FILE", required = true, description = "How to reach the API server.")
    Path kubeconfig;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1): profiles, plugins, pluginConfig.")
    Path config;

    @Option(names = "--leader-elect", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Take the kube-system/kube-scheduler Lease before scheduling (default: ${DEFAULT-VALUE}).")
    boolean leaderElect;

    @Override
    public Integer call() throws Exception {
        SchedulerConfiguration configuration = config == null ? SchedulerConfiguration.defaults()
                : SchedulerConfiguration.load(config);
        KubernetesClient client = Clients.fromKubeconfig(kubeconfig);
        SchedulerServer server = SchedulerServer.builder().client(client).configuration(configuration)
                .leaderElect(leaderElect).start();
        System.out.println("k4j scheduler: running as " + server.identity()
                + (leaderElect ? ", campaigning for the kube-system/kube-scheduler lease" : ""));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            client.close();
            stopped.countDown();
        }, "k4j-scheduler-shutdown"));
        stopped.await();
        return 0;
    }
}
