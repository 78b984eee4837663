package io.k4j.bench.scheduler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.bench.K4jServerProcess;
import io.k4j.bench.Latencies;
import io.k4j.bench.ProcessMeasures;
import io.k4j.client.LeaseCampaign;
import io.k4j.client.RawRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs scheduler workloads against a real {@code k4j server --disable scheduler} and a real {@code k4j scheduler}
 * (each in its own JVM; the scheduler's heap capped at 1 GiB), with nodes registered as plain Node objects, as
 * upstream's scheduler_perf does (no kubelets). Pods placed first are created and scheduled before measuring; the
 * measured pods are then created while the scheduler runs, and the throughput is measured pods over the time from
 * the first create to the last binding, as seen by this process watching its pods (BindingWatch).
 *
 * <p>Mode {@link Mode#BACKLOG} creates the measured pods while the scheduler is paused, then lets it go on and
 * measures from the first binding to the last: the scheduler's own rate, without the API server also absorbing
 * the creates on the same two cores. The pause takes the scheduler's leader lease, as another scheduler would, so
 * the same JVM (its JIT warmed by the pods placed first) resumes once the lease is free again.
 */
public final class SchedulerBenchmark {

    static final String NAMESPACE = "bench";
    private static final String SCHEDULER_LEASE = "kube-scheduler";

    public enum Mode { CREATE_WHILE_SCHEDULING, BACKLOG }

    /** One workload's numbers. */
    /** cpu*PerPod: milliseconds of CPU each process spent per measured pod while they were scheduled. */
    public record Result(Workload workload, Mode mode, double podsPerSecond, double p50Millis, double p99Millis,
                         long heapUsedMiB, long rssMiB, double serverCpuPerPod, double schedulerCpuPerPod,
                         double benchCpuPerPod) {
    }

    private final Workload workload;
    private final Mode mode;
    private final List<String> serverJvmFlags;
    private final List<String> schedulerJvmFlags;
    private final Path schedulerLog;
    private final ConcurrentHashMap<String, Long> created = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> bound = new ConcurrentHashMap<>();
    private final AtomicInteger boundCount = new AtomicInteger();

    /** {@code serverJvmFlags}, {@code schedulerJvmFlags}: for the server's and the scheduler's JVMs (AOT caches'). */
    public SchedulerBenchmark(Workload workload, Mode mode, List<String> serverJvmFlags, List<String> schedulerJvmFlags)
            throws java.io.IOException {
        this.workload = workload;
        this.mode = mode;
        this.serverJvmFlags = List.copyOf(serverJvmFlags);
        this.schedulerJvmFlags = List.copyOf(schedulerJvmFlags);
        this.schedulerLog = Files.createTempFile("k4j-bench-scheduler-", ".log");
    }

    /** Runs the workload; the scheduler's log is kept (and named in the error) only when the run fails. */
    public Result run() throws Exception {
        Result result = measure();
        Files.deleteIfExists(schedulerLog);
        return result;
    }

    private Result measure() throws Exception {
        try (K4jServerProcess server = K4jServerProcess.start("k4j-bench-sched-", serverJvmFlags,
                "--disable", "scheduler,controller-manager");
             KubernetesClient client = client(server.kubeconfig())) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                    .create();
            for (Workload.PriorityClassSpec spec : workload.priorityClasses()) {
                client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata()
                        .withName(spec.name()).endMetadata().withValue(spec.value()).build()).create();
            }
            createAll(client, workload.nodes(), i -> workload.node().apply(i), true);
            BindingWatch watcher = watchBindings(client);
            // Pods created bound (the Heap workload's) are there before the scheduler starts, which lists them.
            boolean placedFirstAreBound = workload.initPods() > 0 && workload.initPod().apply(0).getSpec().getNodeName() != null;
            if (placedFirstAreBound) {
                createAll(client, workload.initPods(), workload.initPod(), false);
            }
            Process scheduler = startScheduler(server.kubeconfig());
            try {
                if (placedFirstAreBound) {
                    awaitSchedulerLog("is scheduling", scheduler); // it has listed them all
                } else {
                    createAll(client, workload.initPods(), workload.initPod(), false);
                }
                awaitBound(workload.initPods(), scheduler);
                long start;
                long[] cpuBefore;
                if (mode == Mode.BACKLOG) {
                    takeSchedulerLease(client, scheduler);
                    createAll(client, workload.measuredPods(), workload.measuredPod(), false);
                    client.leases().inNamespace(LeaseCampaign.NAMESPACE).withName(SCHEDULER_LEASE).delete();
                    start = awaitFirstMeasuredBinding(scheduler);
                    cpuBefore = cpu(server, scheduler);
                } else {
                    cpuBefore = cpu(server, scheduler);
                    start = System.nanoTime();
                    createAll(client, workload.measuredPods(), workload.measuredPod(), false);
                }
                long end = awaitBound(workload.initPods() + workload.measuredPods(), scheduler);
                long[] cpuAfter = cpu(server, scheduler);
                double pods = workload.measuredPods();
                double seconds = (end - start) / 1e9;
                Latencies latencies = new Latencies();
                created.forEach((name, at) -> {
                    Long boundAt = bound.get(name);
                    if (boundAt != null && !name.startsWith("init-") && !name.startsWith("low-")) {
                        latencies.add(boundAt - at);
                    }
                });
                long[] memory = ProcessMeasures.measure(scheduler.pid());
                return new Result(workload, mode, workload.measuredPods() / seconds,
                        mode == Mode.BACKLOG ? Double.NaN : latencies.percentileMillis(0.50),
                        mode == Mode.BACKLOG ? Double.NaN : latencies.percentileMillis(0.99), memory[0], memory[1],
                        (cpuAfter[0] - cpuBefore[0]) / pods, (cpuAfter[1] - cpuBefore[1]) / pods,
                        (cpuAfter[2] - cpuBefore[2]) / pods);
            } finally {
                watcher.close();
                stop(scheduler);
            }
        }
    }

    /** CPU milliseconds so far of the server, the scheduler and this process. */
    private static long[] cpu(K4jServerProcess server, Process scheduler) throws java.io.IOException {
        return new long[] {ProcessMeasures.cpuMillis(server.pid()), ProcessMeasures.cpuMillis(scheduler.pid()),
                ProcessMeasures.cpuMillis(ProcessHandle.current().pid())};
    }

    static KubernetesClient client(Path kubeconfig) throws java.io.IOException {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        config.setMaxConcurrentRequests(256);
        config.setMaxConcurrentRequestsPerHost(256);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The scheduler's JVM; -Dk4j.bench.scheduler.jvm="FLAGS" adds flags (a profiler, say). */
    private Process startScheduler(Path kubeconfig) throws java.io.IOException {
        List<String> flags = new ArrayList<>(List.of("-Xmx1g"));
        flags.addAll(schedulerJvmFlags);
        List<String> command = K4jServerProcess.jvm("k4j.bench.scheduler.jvm", flags.toArray(String[]::new));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.k4j.cli.K4j", "scheduler",
                "--kubeconfig", kubeconfig.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(schedulerLog.toFile())).start();
    }

    /**
     * Pauses the scheduler without ending its JVM: takes its lease for an hour, as another scheduler would. It stops
     * scheduling once its renewals fail for its renew deadline (10 s), and campaigns again until the lease is free.
     */
    private void takeSchedulerLease(KubernetesClient client, Process scheduler) throws Exception {
        long stopsBefore = schedulerLogLines("lost the scheduler lease");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        for (int attempt = 1; ; attempt++) {
            try {
                client.leases().inNamespace(LeaseCampaign.NAMESPACE).withName(SCHEDULER_LEASE).edit(lease -> {
                    lease.getSpec().setHolderIdentity("k4j-bench");
                    lease.getSpec().setLeaseDurationSeconds(3600);
                    lease.getSpec().setAcquireTime(now);
                    lease.getSpec().setRenewTime(now);
                    return lease;
                });
                break;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
                // the scheduler renewed it between our read and our write: read it again
            }
        }
        awaitSchedulerLog("lost the scheduler lease", scheduler, stopsBefore);
    }

    /** Waits until the scheduler's log has a line containing {@code text} once more than {@code before} times. */
    private void awaitSchedulerLog(String text, Process scheduler, long before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (schedulerLogLines(text) == before) {
            if (!scheduler.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the scheduler did not log \"" + text + "\"; its log: " + schedulerLog);
            }
            Thread.sleep(100);
        }
    }

    private void awaitSchedulerLog(String text, Process scheduler) throws Exception {
        awaitSchedulerLog(text, scheduler, 0);
    }

    /** How many lines of the scheduler's log contain {@code text}. */
    private long schedulerLogLines(String text) throws java.io.IOException {
        try (var lines = Files.lines(schedulerLog)) {
            return lines.filter(line -> line.contains(text)).count();
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        // Generous: a scheduler recording an AOT cache writes it as it stops, which takes a while on two busy cores.
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
    }

    /**
     * Records when each pod is seen bound, and plays the kubelet for pods being deleted (preemption victims): there is
     * none to confirm their deletion, so they are removed at once (off the watch's thread).
     */
    private BindingWatch watchBindings(KubernetesClient client) throws Exception {
        return BindingWatch.start(client, NAMESPACE, (name, node, deleting) -> {
            if (node != null && !node.isEmpty() && bound.putIfAbsent(name, System.nanoTime()) == null) {
                boundCount.incrementAndGet();
            }
            if (deleting) {
                Thread.startVirtualThread(() ->
                        client.pods().inNamespace(NAMESPACE).withName(name).withGracePeriod(0).delete());
            }
        });
    }

    private long awaitBound(int count, Process scheduler) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (boundCount.get() < count) {
            if (!scheduler.isAlive()) {
                throw new IllegalStateException("the scheduler exited with " + scheduler.exitValue() + "; its log: " + schedulerLog);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + boundCount.get() + " of " + count + " pods were bound in 15 minutes");
            }
            Thread.sleep(5);
        }
        return bound.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private long awaitFirstMeasuredBinding(Process scheduler) throws Exception {
        int before = boundCount.get();
        while (boundCount.get() == before) {
            if (!scheduler.isAlive()) {
                throw new IllegalStateException("the scheduler exited; its log: " + schedulerLog);
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    /**
     * Creates a pod, noting when it was asked for. The server's answer is not decoded: on the two cores it shares with
     * the server and the scheduler, fabric8's create cost this process about 1 ms of CPU per pod, most of it decoding
     * the pod that comes back.
     */
    private void createPod(KubernetesClient client, HasMetadata pod) throws Exception {
        String json = client.getKubernetesSerialization().asJson(pod);
        String name = pod.getMetadata().getName();
        created.put(name, System.nanoTime());
        var response = RawRequests.post(client, "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods", json);
        if (response.code() != 201) {
            throw new IllegalStateException("creating pod " + name + ": HTTP " + response.code() + " " + response.body());
        }
    }

    /** Creates objects from 64 virtual threads; nodes then get their status through /status. */
    private <T extends HasMetadata> void createAll(KubernetesClient client, int count, IntFunction<T> make, boolean node)
            throws Exception {
        Semaphore limit = new Semaphore(64);
        List<Future<?>> futures = new ArrayList<>(count);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                T object = make.apply(i);
                limit.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        if (node) {
                            Node created = client.nodes().resource((Node) object).create();
                            created.setStatus(((Node) object).getStatus());
                            client.nodes().resource(created).updateStatus();
                        } else {
                            createPod(client, object);
                        }
                    } finally {
                        limit.release();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
    }
}
