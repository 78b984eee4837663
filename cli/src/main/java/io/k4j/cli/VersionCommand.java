package io.k4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code k4j version}: what this build is. */
@Command(name = "version", description = "Print the k4j version and the Kubernetes version it implements.")
final class VersionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    static String[] lines(BuildInfo info) {
        return new String[] {
            "k4j version v" + info.version(),
            "kubernetes " + info.kubernetesVersion(),
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }

    @Override
    public void run() {
        for (String line : lines(BuildInfo.load())) {
            spec.commandLine().getOut().println(line);
        }
    }
}
