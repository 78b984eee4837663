package io.k4j.cli.bench;

import io.k4j.bench.controllers.DeploymentBenchmark;
import java.io.PrintWriter;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code k4j bench controllers}: a large Deployment on simulated nodes, created and then rolled. */
@Command(name = "controllers", description = "Benchmark the controller manager: a large Deployment on simulated nodes.")
final class ControllersBenchCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "1000", description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--replicas", defaultValue = "10000", description = "Deployment replicas (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println(MachineDescription.describe() + ", " + ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE));
        out.println();
        out.println("| nodes | replicas | create → all available (s) | rolling update (s) | controller-manager heap MiB"
                + " | controller-manager RSS MiB | CPU s: controller manager, server |");
        out.println("|---:|---:|---:|---:|---:|---:|---|");
        out.flush();
        DeploymentBenchmark.Result result = new DeploymentBenchmark(nodes, replicas).run();
        out.printf(Locale.ROOT, "| %d | %d | %.1f | %.1f | %d | %d | %.1f, %.1f |%n", result.nodes(), result.replicas(),
                result.createSeconds(), result.rollingUpdateSeconds(), result.heapUsedMiB(), result.rssMiB(),
                result.controllerCpuSeconds(), result.serverCpuSeconds());
        out.flush();
        return 0;
    }
}
