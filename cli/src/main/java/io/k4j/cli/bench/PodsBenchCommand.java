package io.k4j.cli.bench;

import io.k4j.bench.K4jServerProcess;
import io.k4j.bench.NetworkNamespace;
import io.k4j.bench.AotCache;
import io.k4j.bench.kubelet.PodStartupBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code k4j bench pods}: pod start-up latency on a real node. It makes a network namespace for the run and runs
 * itself again inside it (so the benchmark's client, the server and the agent share that namespace's loopback and
 * pods' bridges and rules never touch the machine's network), then removes the namespace and the run's cgroups.
 */
@Command(name = "pods", description = "Benchmark the kubelet: pod start-up latency with real containers (needs root, runc, conmon, CNI plugins).")
final class PodsBenchCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--warmup-pods", defaultValue = "200", description = "Pods started and deleted untimed first, so the"
            + " JVMs have compiled their hot paths as on a node that has been up a while; 0 times freshly started"
            + " processes (default: ${DEFAULT-VALUE}).")
    int warmupPods;

    @Option(names = "--pods", defaultValue = "100", description = "Pods timed (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--concurrency", defaultValue = "10", description = "Pods starting at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--steady-pods", defaultValue = "110", description = "Running pods the agent is measured with (default: ${DEFAULT-VALUE}).")
    int steadyPods;

    @Option(names = "--server-aot-cache", paramLabel = "FILE", description = "Run the server with this JDK AOT cache"
            + " (JDK 25+), as the k4j launcher runs a server: used when FILE exists and is newer than the jars, else"
            + " recorded by this run (and written when its server stops). Default: none, the server's JIT starts cold.")
    Path serverAotCache;

    @Option(names = "--inside-namespace", hidden = true, description = "Set when the command runs itself inside the namespace.")
    String insideNamespace;

    @Override
    public Integer call() throws Exception {
        if (pods < 1 || concurrency < 1 || warmupPods < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--pods and --concurrency must be at least 1, --warmup-pods at least 0");
        }
        if (serverAotCache != null && AotCache.unavailableReason() != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--server-aot-cache: " + AotCache.unavailableReason());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (insideNamespace != null) {
            AotCache aot = serverAotCache == null ? null : AotCache.at(serverAotCache);
            PodStartupBenchmark.Result result = new PodStartupBenchmark(warmupPods, pods, concurrency, steadyPods,
                    aot == null ? List.of() : aot.jvmFlags()).run("/" + insideNamespace);
            double[] cpu = result.cpuMillisPerPod();
            out.printf(Locale.ROOT, "| %d | %s | %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f, %.0f, %.0f, %.0f"
                    + " | %d | %d | %d | %.1f |%n",
                    result.warmupPods(), aot == null ? "-" : aot.describe(), result.pods(), result.concurrency(), result.p50Millis(),
                    result.p90Millis(), result.p99Millis(), result.maxMillis(), cpu[0], cpu[1], cpu[2], cpu[3],
                    result.steadyPods(), result.agentHeapMiB(), result.agentRssMiB(), result.agentCpuPercent());
            out.flush();
            return 0;
        }
        String reason = PodStartupBenchmark.unavailableReason();
        if (reason != null) {
            spec.commandLine().getErr().println("k4j bench pods: cannot run here: " + reason);
            return 1;
        }
        out.println(MachineDescription.describe() + ", " + ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
        out.println();
        out.println("| warm-up pods | server AOT cache | timed pods | concurrent | p50 ms | p90 ms | p99 ms | max ms"
                + " | CPU ms/pod: server, agent, client, other processes | running pods | agent heap MiB | agent RSS MiB"
                + " | agent CPU % (idle, those pods) |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        out.flush();
        try (NetworkNamespace namespace = NetworkNamespace.create("k4j-bench")) {
            // The measuring client is kept light (C1 only) to take as little as it can from the two JVMs it measures.
            List<String> inner = new ArrayList<>(List.of(K4jServerProcess.java(), "-XX:TieredStopAtLevel=1"));
            // Options for the JVMs the benchmark starts (k4j.bench.server.jvm, k4j.bench.agent.jvm) go along.
            System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("k4j.bench."))
                    .forEach(name -> inner.add("-D" + name + "=" + System.getProperty(name)));
            inner.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.k4j.cli.K4j", "bench", "pods",
                    "--warmup-pods", Integer.toString(warmupPods), "--pods", Integer.toString(pods),
                    "--concurrency", Integer.toString(concurrency),
                    "--steady-pods", Integer.toString(steadyPods), "--inside-namespace", namespace.name()));
            if (serverAotCache != null) {
                inner.addAll(List.of("--server-aot-cache", serverAotCache.toAbsolutePath().toString()));
            }
            List<String> command = namespace.command(inner);
            Process inside = new ProcessBuilder(command).inheritIO().start();
            int exit = inside.waitFor();
            removeCgroups(namespace.name());
            return exit;
        }
    }

    /** The run's pod cgroups, in every hierarchy, deepest first (the runtime removes them; this is the backstop). */
    private static void removeCgroups(String name) throws IOException {
        Path root = Path.of("/sys/fs/cgroup");
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(root)) {
            for (Path hierarchy : hierarchies.toList()) {
                Path mine = hierarchy.resolve(name);
                if (Files.isDirectory(mine)) {
                    try (Stream<Path> walk = Files.walk(mine)) {
                        walk.filter(Files::isDirectory).forEach(dirs::add);
                    }
                }
            }
        }
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path dir : dirs) {
            Files.deleteIfExists(dir);
        }
    }
}
