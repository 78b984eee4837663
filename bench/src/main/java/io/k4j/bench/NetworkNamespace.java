package io.k4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one run (a stand-in for a node's network), so bridges, routes and iptables rules of
 * the pods started in it never touch the machine's own network. Processes enter it with {@code nsenter --net=}
 * (only the network namespace: {@code ip netns exec} would also remount /sys and hide the cgroup mounts runc
 * needs). Closing it deletes the namespace.
 */
public final class NetworkNamespace implements AutoCloseable {

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** Creates {@code PREFIX-RANDOM} with its loopback up; needs root and iproute2. */
    public static NetworkNamespace create(String prefix) throws IOException, InterruptedException {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        run(List.of("ip", "netns", "add", name));
        NetworkNamespace namespace = new NetworkNamespace(name);
        try {
            run(namespace.command(List.of("ip", "link", "set", "lo", "up")));
        } catch (IOException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    /** Why namespaces cannot be made here, or null when they can. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/nsenter"))) {
            return "nsenter (util-linux) is not installed";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            return "iproute2 (ip) is not installed";
        }
        return null;
    }

    public String name() {
        return name;
    }

    public Path path() {
        return Path.of("/run/netns", name);
    }

    /** The command, run inside this namespace. */
    public List<String> command(List<String> command) {
        List<String> inside = new ArrayList<>(List.of("nsenter", "--net=" + path()));
        inside.addAll(command);
        return inside;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("ip", "netns", "delete", name));
    }
}
