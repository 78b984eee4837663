package io.k4j.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** API clients for the components and commands that talk to a k4j server, built from a kubeconfig file. */
final class Clients {

    private Clients() {
    }

    static KubernetesClient fromKubeconfig(Path kubeconfig) throws IOException {
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig);
        }
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** --kubeconfig if given, else $KUBECONFIG, else DATA_DIR/kubeconfig.yaml. */
    static Path resolveKubeconfig(Path explicit, Path dataDir) {
        if (explicit != null) {
            return explicit;
        }
        String fromEnvironment = System.getenv("KUBECONFIG");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Path.of(fromEnvironment.split(java.io.File.pathSeparator)[0]);
        }
        return (dataDir != null ? dataDir : ServerCommand.defaultDataDir()).resolve("kubeconfig.yaml");
    }
}
