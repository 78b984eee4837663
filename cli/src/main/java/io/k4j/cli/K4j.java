package io.k4j.cli;

import io.k4j.cli.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code k4j} command. */
@Command(name = "k4j",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = K4j.Version.class,
        description = "A Kubernetes-compatible container orchestrator in Java.",
        subcommands = {ServerCommand.class, AgentCommand.class, SchedulerCommand.class, ControllerManagerCommand.class, ExplainCommand.class, KubectlCommand.class, BenchCommand.class, VersionCommand.class,
                ImagesCommand.class, ProxyCommand.class,
                CommandLine.HelpCommand.class})
public final class K4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // gRPC and others log through java.util.logging; send it to the same place as everything else.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        CommandLine commandLine = commandLine();
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exitCode);
    }

    /** The configured command line, shared by main and tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new K4j());
        // Everything after `k4j kubectl` belongs to kubectl, flags included.
        commandLine.getSubcommands().get("kubectl").setUnmatchedOptionsArePositionalParams(true)
                .setStopAtPositional(true);
        commandLine.setExecutionExceptionHandler(new UserErrors());
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Supplies {@code k4j --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return VersionCommand.lines(BuildInfo.load());
        }
    }
}
