package io.k4j.bench.kubelet;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.k4j.bench.K4jServerProcess;
import io.k4j.bench.Latencies;
import io.k4j.bench.NetworkNamespace;
import io.k4j.bench.ProcessMeasures;
import io.k4j.client.ApiRequestCounts;
import io.k4j.kubelet.image.BusyboxImage;
import io.k4j.kubelet.image.LocalImageService;
import io.k4j.kubelet.network.CniNetwork;
import io.k4j.kubelet.network.ProcessRunner;
import io.k4j.kubelet.runtime.RuntimeCleanup;
import io.k4j.kubelet.runtime.oci.OciRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Pod start-up latency on a real node, as upstream's SLO measures it: from the pod's creation until a watch sees it
 * Running, with its image already on the node. {@code k4j server} (API server, scheduler, controller manager) and a
 * {@code k4j agent} (the kubelet, runc under conmon, CNI) each run in their own JVM inside a network namespace made
 * for the run (the whole benchmark runs in it, so its client reaches the server on that namespace's loopback).
 * First {@code warmupPods} pods are started and deleted untimed, in rounds of {@code pods} (the JVMs compile their
 * hot paths then, as on a node that has been up a while; 0 measures freshly started processes); then {@code pods}
 * pods are timed, with at most {@code concurrency} starting at once. Then the node is filled to {@code steadyPods}
 * running pods and the agent's heap, resident memory and CPU use are measured there.
 */
public final class PodStartupBenchmark {

    static final String NAMESPACE = "bench";
    static final String IMAGE = "k4j/busybox:bench";

    /**
     * Latencies in ms; CPU ms per timed pod of the server, the agent, this client and everything else on the machine
     * (runc, conmon, CNI plugins, ip, mount, the kernel's work for them); and the agent at {@code steadyPods} running
     * pods: heap after GC, RSS, CPU % of one core.
     */
    public record Result(int warmupPods, int pods, int concurrency, double p50Millis, double p90Millis,
            double p99Millis, double maxMillis, double[] cpuMillisPerPod, int steadyPods, long agentHeapMiB,
            long agentRssMiB, double agentCpuPercent) {
    }

    private final int warmupPods;
    private final int pods;
    private final int concurrency;
    private final int steadyPods;
    private final List<String> serverJvmFlags;

    /** {@code serverJvmFlags}: for the server's JVM (an AOT cache's, say). */
    public PodStartupBenchmark(int warmupPods, int pods, int concurrency, int steadyPods, List<String> serverJvmFlags) {
        this.warmupPods = warmupPods;
        this.pods = pods;
        this.concurrency = concurrency;
        this.steadyPods = steadyPods;
        this.serverJvmFlags = List.copyOf(serverJvmFlags);
    }

    /** Why the benchmark cannot run here, or null (it needs a network namespace made for it, so root). */
    public static String unavailableReason() {
        String reason = NetworkNamespace.unavailableReason();
        return reason != null ? reason : BusyboxImage.unavailableReason();
    }

    /**
     * Runs the benchmark from inside the network namespace it was started in (the caller made it, and every process
     * started here inherits it); pods' cgroups go under {@code cgroupRoot}.
     */
    public Result run(String cgroupRoot) throws Exception {
        try (K4jServerProcess server = K4jServerProcess.start("k4j-bench-pods-", serverJvmFlags);
             KubernetesClient client = client(server.kubeconfig())) {
            Path agentDir = Files.createDirectories(server.dataDir().resolve("agent-node"));
            importImage(agentDir, server.dataDir());
            Process agent = startAgent(server, agentDir, cgroupRoot);
            try {
                awaitNodeReady(client, agent);
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                        .endMetadata().build()).create();
                // In rounds no larger than the timed one, deleted in between, so the node never runs out of room.
                for (int done = 0; done < warmupPods; done += pods) {
                    startPods(client, "warmup-", done, Math.min(pods, warmupPods - done));
                    deleteAll(client, agentDir);
                }
                ApiRequestCounts requestsBefore = ApiRequestCounts.read(client);
                long[] cpuBefore = cpuMillis(server.pid(), agent.pid());
                java.time.Instant timedFrom = java.time.Instant.now();
                System.err.println("bench: timed round starts");
                Starts timed = startPods(client, "pod-", 0, pods);
                Latencies latencies = timed.total();
                long[] cpuAfter = cpuMillis(server.pid(), agent.pid());
                // When it ran, to line up with profiles or logs of the server and agent.
                System.err.println("bench: timed round from " + timedFrom + " to " + java.time.Instant.now());
                System.err.println("bench: API requests per timed pod: "
                        + ApiRequestCounts.read(client).since(requestsBefore, pods));
                System.err.println("bench: timed pods' stages (p50/p99 ms): " + timed.stages());
                double[] cpuPerPod = new double[cpuBefore.length];
                for (int i = 0; i < cpuPerPod.length; i++) {
                    cpuPerPod[i] = (double) (cpuAfter[i] - cpuBefore[i]) / pods;
                }
                startPods(client, "pod-", pods, steadyPods - pods);
                long agentCpuBefore = ProcessMeasures.cpuMillis(agent.pid());
                long start = System.nanoTime();
                Thread.sleep(30_000);
                double cpuPercent = 100.0 * (ProcessMeasures.cpuMillis(agent.pid()) - agentCpuBefore)
                        / ((System.nanoTime() - start) / 1e6);
                long[] memory = ProcessMeasures.measure(agent.pid());
                deleteAll(client, agentDir);
                return new Result(warmupPods, pods, concurrency, latencies.percentileMillis(0.5),
                        latencies.percentileMillis(0.9), latencies.percentileMillis(0.99),
                        latencies.percentileMillis(1.0), cpuPerPod, steadyPods, memory[0], memory[1], cpuPercent);
            } finally {
                agent.destroy();
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
                // Containers outlive their agent by design; the run's must not outlive the run.
                try (OciRuntime runtime = OciRuntime.builder().stateDir(agentDir.resolve("agent/containers"))
                        .network(CniNetwork.builder().ipamDataDir(agentDir.resolve("agent/cni")).build()).build()) {
                    RuntimeCleanup.removeAll(runtime).forEach(problem -> System.err.println("bench: " + problem));
                }
            }
        }
    }

    /** The image goes into the agent's store before it starts, as `k4j images import` would put it there. */
    private static void importImage(Path agentDir, Path work) throws Exception {
        Path layout = BusyboxImage.writeOciLayout(Files.createTempDirectory(work, "image-"), "bench");
        Path archive = work.resolve("busybox.tar");
        ProcessRunner.check(List.of("skopeo", "copy", "-q", "oci:" + layout + ":bench",
                "docker-archive:" + archive + ":" + IMAGE));
        LocalImageService images = LocalImageService.builder().root(agentDir.resolve("agent/images"))
                .clock(Clock.systemUTC()).build();
        images.importArchive(archive);
    }

    private static Process startAgent(K4jServerProcess server, Path agentDir, String cgroupRoot) throws Exception {
        List<String> command = K4jServerProcess.jvm("k4j.bench.agent.jvm",
                "-XX:TieredStopAtLevel=1"); // as the k4j launcher runs an agent
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.k4j.cli.K4j", "agent",
                "--server", server.url(), "--token-file", server.dataDir().resolve("server/node-token").toString(),
                "--data-dir", agentDir.toString(), "--node-name", "bench-node", "--runtime", "runc",
                "--cgroup-root", cgroupRoot));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(agentDir.resolve("agent.log").toFile()).start();
    }

    private static void awaitNodeReady(KubernetesClient client, Process agent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("k4j agent exited with " + agent.exitValue());
            }
            var node = client.nodes().withName("bench-node").get();
            if (node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                    && node.getStatus().getConditions().stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the benchmark's node was not Ready within 2 minutes");
    }

    /**
     * Latencies of pod starts: create until Running is seen, split where the watch first sees the pod bound to the
     * node (the API server and scheduler's part before, the agent's after).
     */
    record Starts(Latencies total, Latencies toBound, Latencies boundToRunning) {
        Starts() {
            this(new Latencies(), new Latencies(), new Latencies());
        }

        String stages() {
            return String.format(Locale.ROOT, "create to bound %.0f/%.0f, bound to Running %.0f/%.0f",
                    toBound.percentileMillis(0.5), toBound.percentileMillis(0.99),
                    boundToRunning.percentileMillis(0.5), boundToRunning.percentileMillis(0.99));
        }
    }

    /** Creates {@code count} pods, at most {@code concurrency} not yet Running at once; their latencies. */
    private Starts startPods(KubernetesClient client, String prefix, int first, int count) throws Exception {
        Starts starts = new Starts();
        if (count <= 0) {
            return starts;
        }
        Map<String, Long> created = new ConcurrentHashMap<>();
        Map<String, Long> bound = new ConcurrentHashMap<>();
        Semaphore starting = new Semaphore(concurrency);
        CountDownLatch running = new CountDownLatch(count);
        try (Watch watch = client.pods().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                long seen = System.nanoTime();
                String name = pod.getMetadata().getName();
                if (pod.getSpec().getNodeName() != null && created.containsKey(name)) {
                    bound.putIfAbsent(name, seen);
                }
                if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
                    Long at = created.remove(name);
                    if (at != null) {
                        Long boundSeen = bound.remove(name);
                        long boundAt = boundSeen != null ? boundSeen : seen; // or bound in this same event
                        synchronized (starts) {
                            starts.total().add(seen - at);
                            starts.toBound().add(boundAt - at);
                            starts.boundToRunning().add(seen - boundAt);
                        }
                        starting.release();
                        running.countDown();
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            for (int index = first; index < first + count; index++) {
                starting.acquire();
                String name = prefix + index;
                created.put(name, System.nanoTime());
                client.pods().inNamespace(NAMESPACE).resource(pod(name)).create();
            }
            if (!running.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(running.getCount() + " pods were not Running within 5 minutes");
            }
        }
        return starts;
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("main").withImage(IMAGE).withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "3600").endContainer().endSpec().build();
    }

    /** CPU ms so far of the server, the agent, this process, and the rest of the machine. */
    private static long[] cpuMillis(long serverPid, long agentPid) throws java.io.IOException {
        long server = ProcessMeasures.cpuMillis(serverPid);
        long agent = ProcessMeasures.cpuMillis(agentPid);
        long self = ProcessMeasures.cpuMillis(ProcessHandle.current().pid());
        return new long[] {server, agent, self, ProcessMeasures.machineCpuMillis() - server - agent - self};
    }

    /** Deletes the run's pods and waits until the agent has torn every one down. */
    private static void deleteAll(KubernetesClient client, Path agentDir) throws Exception {
        client.pods().inNamespace(NAMESPACE).withGracePeriod(0).delete();
        awaitNoPods(client);
        awaitNoSandboxes(agentDir);
    }

    /** The agent has stopped and removed every pod's sandbox (network released, mounts gone). */
    private static void awaitNoSandboxes(Path agentDir) throws Exception {
        Path sandboxes = agentDir.resolve("agent/containers/sandboxes");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && Files.isDirectory(sandboxes)) {
            try (var left = Files.list(sandboxes)) {
                if (left.findAny().isEmpty()) {
                    return;
                }
            }
            Thread.sleep(500);
        }
    }

    private static void awaitNoPods(KubernetesClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && !client.pods().inNamespace(NAMESPACE).list().getItems().isEmpty()) {
            Thread.sleep(500);
        }
    }

    private static KubernetesClient client(Path kubeconfig) throws Exception {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }
}
