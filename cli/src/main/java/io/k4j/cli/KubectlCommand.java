package io.k4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k4j kubectl ARGS...}: the kubectl on PATH, pointed at this server's kubeconfig. */
@Command(name = "kubectl", description = "Run kubectl with k4j's kubeconfig (DATA_DIR/kubeconfig.yaml).",
        mixinStandardHelpOptions = false)
final class KubectlCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The server's data dir.")
    Path dataDir;

    @Parameters(paramLabel = "ARG", arity = "0..*", description = "Arguments for kubectl.")
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : ServerCommand.defaultDataDir();
        Path kubeconfig = dir.resolve("kubeconfig.yaml");
        String fromEnvironment = System.getenv("KUBECONFIG");
        if (!Files.exists(kubeconfig) && fromEnvironment == null) {
            throw new IllegalArgumentException("no kubeconfig at " + kubeconfig + "; is `k4j server` running?");
        }
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        if (Files.exists(kubeconfig)) {
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
        }
        return builder.start().waitFor();
    }
}
