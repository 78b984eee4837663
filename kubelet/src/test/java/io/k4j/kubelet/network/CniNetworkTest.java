package io.k4j.kubelet.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.k4j.kubelet.runtime.SandboxConfig.PortMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CNI chain against real plugins, with a stand-in node namespace and a pod namespace of the test's own. */
class CniNetworkTest {
    private static final Path PLUGINS = Path.of("/usr/lib/cni");
    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private Path dir;
    private Path nodeNetns;
    private Path podNetns;
    private CniNetwork network;

    @BeforeEach
    void namespaces() throws IOException {
        assumeTrue(CniNetwork.missingPlugins(PLUGINS).isEmpty(), "CNI plugins are not installed in " + PLUGINS);
        assumeTrue(Files.isWritable(Path.of("/run")) && Files.isExecutable(Path.of("/usr/sbin/ip")),
                "needs root and iproute2");
        dir = Files.createTempDirectory("k4j-cni-R-");
        nodeNetns = NetworkNamespaces.create("k4j-test-R-node-" + suffix);
        podNetns = NetworkNamespaces.create("k4j-test-R-pod-" + suffix);
        network = CniNetwork.builder().bridgeName("k4jRc" + suffix).ipamDataDir(dir.resolve("ipam"))
                .nodeNetns(nodeNetns).build();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (dir == null) {
            return;
        }
        NetworkNamespaces.delete(podNetns);
        NetworkNamespaces.delete(nodeNetns);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void aPodGetsAnAddressItsGatewayAndHostPortsAndGivesThemBack() throws IOException {
        network.updatePodCidr("10.89.3.0/24");
        List<PortMapping> ports = List.of(new PortMapping("TCP", 80, 18080, ""));

        List<String> ips = network.setUp("sandbox-" + suffix, podNetns, ports);

        assertThat(ips).singleElement().asString().startsWith("10.89.3.").isNotEqualTo("10.89.3.1");
        assertThat(ProcessRunner.check(List.of("nsenter", "--net=" + podNetns, "ip", "-4", "addr", "show", "eth0")))
                .contains(ips.getFirst() + "/24");
        assertThat(ProcessRunner.check(List.of("nsenter", "--net=" + podNetns, "ip", "route")))
                .contains("default via 10.89.3.1");
        assertThat(ProcessRunner.check(List.of("nsenter", "--net=" + podNetns, "/bin/busybox", "ping", "-c", "1", "-W", "2",
                "10.89.3.1"))).contains("1 packets received");
        assertThat(ProcessRunner.check(List.of("nsenter", "--net=" + nodeNetns, "iptables", "-t", "nat", "-S")))
                .contains("--dport 18080");

        network.tearDown("sandbox-" + suffix, podNetns, ports);
        network.tearDown("sandbox-" + suffix, podNetns, ports);

        assertThat(ProcessRunner.check(List.of("nsenter", "--net=" + nodeNetns, "iptables", "-t", "nat", "-S")))
                .doesNotContain("--dport 18080");
        try (Stream<Path> files = Files.walk(dir.resolve("ipam"))) {
            assertThat(files.map(path -> path.getFileName().toString())).doesNotContain(ips.getFirst());
        }
    }

    @Test
    void podsLeavingTheRangeAreMasqueradedByOneChainForTheWholeRange() throws IOException {
        network.updatePodCidr("10.89.4.0/24");
        Path second = NetworkNamespaces.create("k4j-test-R-pod2-" + suffix);
        try {
            network.setUp("sandbox-a-" + suffix, podNetns, List.of());
            network.setUp("sandbox-b-" + suffix, second, List.of());
            String nat = ProcessRunner.check(List.of("nsenter", "--net=" + nodeNetns, "iptables", "-t", "nat", "-S"));
            assertThat(nat.lines().filter(line -> line.startsWith("-A POSTROUTING")))
                    .singleElement().asString().contains("-s 10.89.4.0/24").endsWith("-j K4J-POD-MASQ");
            assertThat(nat.lines().filter(line -> line.startsWith("-A K4J-POD-MASQ"))).containsExactly(
                    "-A K4J-POD-MASQ -d 10.89.4.0/24 -j RETURN",
                    "-A K4J-POD-MASQ -d 224.0.0.0/4 -j RETURN",
                    "-A K4J-POD-MASQ -j MASQUERADE");
            assertThat(nat).doesNotContain("CNI-");
            network.tearDown("sandbox-b-" + suffix, second, List.of());
        } finally {
            NetworkNamespaces.delete(second);
        }
    }

    @Test
    void withoutAPodCidrThePodCannotBeGivenAnAddress() {
        assertThatThrownBy(() -> network.setUp("sandbox-" + suffix, podNetns, List.of()))
                .hasMessage("the node has no pod CIDR yet: cannot give the pod an address");
    }
}
