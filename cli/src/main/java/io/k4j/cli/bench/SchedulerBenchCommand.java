package io.k4j.cli.bench;

import io.k4j.bench.AotCache;
import io.k4j.bench.scheduler.SchedulerBenchmark;
import io.k4j.bench.scheduler.Workload;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code k4j bench scheduler}: workloads shaped like upstream's scheduler_perf, against a real server and scheduler. */
@Command(name = "scheduler", description = "Benchmark the scheduler with scheduler_perf-shaped workloads.")
final class SchedulerBenchCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workloads", split = ",",
            defaultValue = "SchedulingBasic,SchedulingNodeAffinity,SchedulingPodAntiAffinity,TopologySpreading,PreemptionBasic,Heap",
            description = "Which workloads (default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--nodes", defaultValue = "5000", description = "Nodes (default: ${DEFAULT-VALUE}; PreemptionBasic uses a tenth).")
    int nodes;

    @Option(names = "--init-pods", defaultValue = "1000", description = "Pods placed before measuring (default: ${DEFAULT-VALUE}).")
    int initPods;

    @Option(names = "--pods", defaultValue = "10000", description = "Measured pods (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--heap-pods", defaultValue = "150000",
            description = "Pods already placed in the Heap workload (default: ${DEFAULT-VALUE}).")
    int heapPods;

    @Option(names = "--modes", split = ",", defaultValue = "CREATE_WHILE_SCHEDULING,BACKLOG",
            description = "CREATE_WHILE_SCHEDULING (as scheduler_perf) and/or BACKLOG (default: ${DEFAULT-VALUE}).")
    List<SchedulerBenchmark.Mode> modes;

    @Option(names = "--server-aot-cache", paramLabel = "FILE",
            description = "Run the server with a JDK AOT cache, as the launcher runs `k4j server`: recorded by the"
                    + " first run when FILE is missing or older than the jars (written as that server stops), used by"
                    + " the runs after.")
    Path serverAotCache;

    @Option(names = "--scheduler-aot-cache", paramLabel = "FILE",
            description = "The same for the scheduler's JVM, as the launcher runs `k4j scheduler`.")
    Path schedulerAotCache;

    @Override
    public Integer call() throws Exception {
        if ((serverAotCache != null || schedulerAotCache != null) && AotCache.unavailableReason() != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--server-aot-cache, --scheduler-aot-cache: " + AotCache.unavailableReason());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(MachineDescription.describe() + ", " + ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
        out.println();
        out.println("| workload | nodes | placed first | measured | mode | pods/s | p50 ms | p99 ms | upstream CI floor"
                + " | scheduler heap MiB | scheduler RSS MiB | CPU ms/pod: server, scheduler, bench | AOT caches: server, scheduler |");
        out.println("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|");
        out.flush();
        for (String name : workloads) {
            for (Workload workload : workloads(name)) {
                for (SchedulerBenchmark.Mode mode : name.equals("Heap") ? List.of(SchedulerBenchmark.Mode.CREATE_WHILE_SCHEDULING) : modes) {
                    // looked at for every run: the first run records a missing cache, the runs after use it
                    AotCache serverAot = serverAotCache == null ? null : AotCache.at(serverAotCache);
                    AotCache schedulerAot = schedulerAotCache == null ? null : AotCache.at(schedulerAotCache);
                    SchedulerBenchmark.Result result = new SchedulerBenchmark(workload, mode, flags(serverAot),
                            flags(schedulerAot)).run();
                    out.printf(Locale.ROOT, "| %s | %d | %d | %d | %s | %.0f | %s | %s | %s | %d | %d | %.2f, %.2f, %.2f | %s |%n",
                            name, workload.nodes(), workload.initPods(), workload.measuredPods(),
                            mode == SchedulerBenchmark.Mode.BACKLOG ? "backlog" : "create while scheduling",
                            result.podsPerSecond(), millis(result.p50Millis()), millis(result.p99Millis()),
                            workload.upstreamFloor() > 0 ? String.format(Locale.ROOT, "%.0f", workload.upstreamFloor()) : "-",
                            result.heapUsedMiB(), result.rssMiB(), result.serverCpuPerPod(),
                            result.schedulerCpuPerPod(), result.benchCpuPerPod(), describe(serverAot) + ", " + describe(schedulerAot));
                    out.flush();
                }
            }
        }
        return 0;
    }

    private static List<String> flags(AotCache cache) {
        return cache == null ? List.of() : cache.jvmFlags();
    }

    private static String describe(AotCache cache) {
        return cache == null ? "-" : cache.describe();
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private List<Workload> workloads(String name) {
        List<Workload> list = new ArrayList<>();
        switch (name) {
            case "SchedulingBasic" -> list.add(Workload.schedulingBasic(nodes, initPods, pods));
            case "SchedulingNodeAffinity" -> list.add(Workload.nodeAffinity(nodes, initPods, pods));
            case "SchedulingPodAntiAffinity" -> list.add(Workload.podAntiAffinity(nodes, initPods, Math.min(pods, nodes - initPods)));
            case "TopologySpreading" -> list.add(Workload.topologySpread(nodes, initPods, pods));
            case "PreemptionBasic" -> list.add(Workload.preemption(Math.max(1, nodes / 10), Math.max(1, nodes / 10)));
            case "Heap" -> list.add(Workload.heap(nodes, heapPods, initPods));
            default -> throw new IllegalArgumentException("unknown workload " + name);
        }
        return list;
    }
}
