package io.k4j.kubelet.runtime.oci;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.k4j.kubelet.network.CniNetwork;
import io.k4j.kubelet.network.NetworkNamespaces;
import io.k4j.kubelet.network.ProcessRunner;
import io.k4j.kubelet.runtime.ContainerConfig;
import io.k4j.kubelet.runtime.SandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A stand-in node for runtime tests: its own network namespace (the pods' bridge lives there, never in the machine's),
 * a busybox image layer, a state dir and cgroup root with unique names; {@link #close} removes all of it.
 */
final class OciTestNode implements AutoCloseable {
    static final Path RUNC = Path.of("/usr/sbin/runc");
    static final Path CONMON = Path.of("/usr/bin/conmon");
    static final Path CNI = Path.of("/usr/lib/cni");

    final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final Path dir;
    final Path nodeNetns;
    final Path layer;
    final String cgroupRoot = "/k4j-test-R-" + suffix;
    final String podCidr = "10.88." + ThreadLocalRandom.current().nextInt(1, 250) + ".0/24";
    final OciBinary binary;
    OciRuntime runtime;

    private OciTestNode(Path ociBinary) throws IOException {
        dir = Files.createTempDirectory("k4j-rt-R-");
        binary = ociBinary.getFileName().toString().equals("crun")
                ? OciBinary.crun(ociBinary, dir.resolve("bin")) : OciBinary.runc(ociBinary);
        nodeNetns = NetworkNamespaces.create("k4j-test-R-" + suffix);
        ProcessRunner.check(List.of("nsenter", "--net=" + nodeNetns, "ip", "link", "set", "lo", "up"));
        layer = Files.createDirectories(dir.resolve("layer/bin"));
        Files.copy(Path.of("/bin/busybox"), layer.resolve("busybox"));
        // relative links: --install -s would point them at this temp path, which the container does not have
        for (String applet : ProcessRunner.check(List.of("/bin/busybox", "--list")).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(layer.resolve(applet.strip()), Path.of("busybox"));
            }
        }
        Files.createDirectories(dir.resolve("layer/etc"));
        Files.writeString(dir.resolve("layer/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
        Files.writeString(dir.resolve("layer/etc/group"), "root:x:0:\nnogroup:x:65534:nobody\nextra:x:1234:nobody\n");
        runtime = newRuntime();
        runtime.updatePodCidr(podCidr);
    }

    /** Skips the test with the reason when this machine cannot run real containers. */
    static OciTestNode start() throws IOException {
        return start(RUNC);
    }

    /** A node whose runtime is runc or, for /usr/bin/crun, crun through its wrapper. */
    static OciTestNode start(Path ociBinary) throws IOException {
        List<String> problems = OciRuntime.unavailableReasons(ociBinary, CONMON, CNI);
        assumeTrue(problems.isEmpty(), () -> "real containers cannot run here: " + String.join("; ", problems));
        return new OciTestNode(ociBinary);
    }

    /** Another runtime on the same state, as a restarted kubelet makes. */
    OciRuntime newRuntime() throws IOException {
        return OciRuntime.builder().stateDir(dir.resolve("state")).runtimeRoot(dir.resolve("runc"))
                .conmon(CONMON).binary(binary).cgroupRoot(cgroupRoot)
                .network(CniNetwork.builder().bridgeName("k4jR" + suffix).ipamDataDir(dir.resolve("state/ipam"))
                        .nodeNetns(nodeNetns).build())
                .build();
    }

    SandboxConfig sandbox(String name) {
        return new SandboxConfig("uid-" + name + "-" + suffix, "default", name, 0, name, null,
                Map.of("io.kubernetes.pod.name", name), Map.of(), List.of(), null, Map.of(), null, false);
    }

    ContainerConfig container(String name, String... argv) {
        return container(name, ContainerConfig.Resources.NONE, argv);
    }

    ContainerConfig container(String name, ContainerConfig.Resources resources, String... argv) {
        return new ContainerConfig(name, 0, "sha256:busybox", "busybox:test", List.of(dir.resolve("layer")),
                List.of(argv), List.of("GREETING=hello"), "/", List.of(), false, false, false, null,
                ContainerConfig.Security.DEFAULT, resources, dir.resolve("logs").resolve(name + ".log"),
                Map.of("io.kubernetes.container.name", name), Map.of("io.kubernetes.container.hash", "abc"));
    }

    @Override
    public void close() throws IOException {
        try {
            for (var sandbox : runtime.listPodSandboxes()) {
                runtime.removePodSandbox(sandbox.id());
            }
        } finally {
            try {
                NetworkNamespaces.delete(nodeNetns);
                CgroupV1.detect().removeTree(cgroupRoot);
            } finally {
                if (!Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + dir + "/")) {
                    removeTree(dir); // never walk into a mount left behind: it would delete through it
                }
            }
        }
    }

    private static void removeTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
