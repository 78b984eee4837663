package io.k4j.kubelet.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Named network namespaces under /run/netns, made and removed with iproute2. */
public final class NetworkNamespaces {
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private NetworkNamespaces() {
    }

    public static Path create(String name) throws IOException {
        ProcessRunner.check(List.of("ip", "netns", "add", name));
        return NETNS_DIR.resolve(name);
    }

    /** Removes the namespace if it is there. */
    public static void delete(Path netns) throws IOException {
        if (Files.exists(netns)) {
            ProcessRunner.check(List.of("ip", "netns", "delete", netns.getFileName().toString()));
        }
    }

    /** The command prefix that runs a tool inside {@code netns} (the node's own when null); only the network is entered. */
    public static List<String> enter(Path netns) {
        return netns == null ? List.of() : List.of("nsenter", "--net=" + netns);
    }
}
