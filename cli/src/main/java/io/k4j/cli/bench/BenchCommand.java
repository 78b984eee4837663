package io.k4j.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code k4j bench}: benchmarks that ship with k4j. */
@Command(name = "bench", description = "Run k4j's benchmarks.",
        subcommands = {StoreBenchCommand.class, ApiServerBenchCommand.class, SchedulerBenchCommand.class, ControllersBenchCommand.class, PodsBenchCommand.class, NetworkingBenchCommand.class, JmhCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
