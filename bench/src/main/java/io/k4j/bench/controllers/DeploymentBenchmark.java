package io.k4j.bench.controllers;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k4j.bench.K4jServerProcess;
import io.k4j.bench.ProcessMeasures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Deployment of many replicas on simulated nodes: {@code k4j server --disable controller-manager
 * --simulated-nodes N} (API server, scheduler and the simulated nodes in one JVM) and a {@code k4j controller-manager}
 * in its own JVM, whose heap is measured. Times the rollout from the Deployment's creation until every replica is
 * available, then a rolling update (a new template) until the Deployment reports it complete.
 */
public final class DeploymentBenchmark {

    static final String NAMESPACE = "bench";
    static final String NAME = "web";

    /** Seconds to all available, seconds for the rolling update, the controller manager's heap (after GC) and RSS. */
    public record Result(int nodes, int replicas, double createSeconds, double rollingUpdateSeconds, long heapUsedMiB,
                         long rssMiB, double controllerCpuSeconds, double serverCpuSeconds) {
    }

    private final int nodes;
    private final int replicas;

    public DeploymentBenchmark(int nodes, int replicas) {
        this.nodes = nodes;
        this.replicas = replicas;
    }

    public Result run() throws Exception {
        Path log = Files.createTempFile("k4j-bench-controller-manager-", ".log");
        int podsPerNode = Math.max(110, 2 * replicas / nodes + 10);
        try (K4jServerProcess server = K4jServerProcess.start("k4j-bench-ctrl-", "--disable", "controller-manager",
                "--simulated-nodes", Integer.toString(nodes),
                "--simulated-node-capacity", "cpu=64,memory=256Gi,pods=" + podsPerNode);
             KubernetesClient client = client(server.kubeconfig())) {
            Process manager = startControllerManager(server.kubeconfig(), log);
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                        .build()).create();
                long cpuManager = ProcessMeasures.cpuMillis(manager.pid());
                long cpuServer = ProcessMeasures.cpuMillis(server.pid());
                long start = System.nanoTime();
                client.apps().deployments().inNamespace(NAMESPACE).resource(deployment("v1")).create();
                awaitStatus(client, manager, log, status -> complete(status, 1));
                double createSeconds = (System.nanoTime() - start) / 1e9;

                start = System.nanoTime();
                client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).edit(d -> new DeploymentBuilder(d)
                        .editSpec().editTemplate().editMetadata().addToAnnotations("bench/version", "v2").endMetadata()
                        .endTemplate().endSpec().build());
                awaitStatus(client, manager, log, status -> complete(status, 2));
                double updateSeconds = (System.nanoTime() - start) / 1e9;
                double managerCpu = (ProcessMeasures.cpuMillis(manager.pid()) - cpuManager) / 1000.0;
                double serverCpu = (ProcessMeasures.cpuMillis(server.pid()) - cpuServer) / 1000.0;
                long[] memory = ProcessMeasures.measure(manager.pid());
                Files.deleteIfExists(log);
                return new Result(nodes, replicas, createSeconds, updateSeconds, memory[0], memory[1], managerCpu,
                        serverCpu);
            } finally {
                manager.destroy();
                if (!manager.waitFor(20, TimeUnit.SECONDS)) {
                    manager.destroyForcibly();
                }
            }
        }
    }

    /** The rollout of this generation is done: every replica updated and available, no old ones left. */
    private boolean complete(DeploymentStatus status, long generation) {
        return status != null && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation
                && eq(status.getUpdatedReplicas(), replicas) && eq(status.getAvailableReplicas(), replicas)
                && eq(status.getReplicas(), replicas);
    }

    private static boolean eq(Integer value, int expected) {
        return value != null && value == expected;
    }

    private Deployment deployment(String version) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(NAME).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", NAME)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Map.of("app", NAME)).withAnnotations(Map.of("bench/version", version))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.k8s.io/pause:3.10")
                .withNewResources().withRequests(Map.of("cpu", new io.fabric8.kubernetes.api.model.Quantity("10m")))
                .endResources().endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private void awaitStatus(KubernetesClient client, Process manager, Path log, Predicate<DeploymentStatus> done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (true) {
            Deployment current = client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
            if (current != null && done.test(current.getStatus())) {
                return;
            }
            if (!manager.isAlive()) {
                throw new IllegalStateException("the controller manager exited; its log: " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the deployment did not finish in 30 minutes: "
                        + (current == null ? null : current.getStatus()) + "; controller manager log: " + log);
            }
            Thread.sleep(200);
        }
    }

    /** The controller manager's JVM; -Dk4j.bench.controllers.jvm="FLAGS" adds flags (a profiler, say). */
    private static Process startControllerManager(Path kubeconfig, Path log) throws java.io.IOException {
        List<String> command = K4jServerProcess.jvm("k4j.bench.controllers.jvm");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.k4j.cli.K4j", "controller-manager",
                "--kubeconfig", kubeconfig.toString(), "--leader-elect=false"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    static KubernetesClient client(Path kubeconfig) throws java.io.IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }
}
