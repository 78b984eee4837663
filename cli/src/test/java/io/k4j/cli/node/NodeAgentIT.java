package io.k4j.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.k4j.cli.RunningServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * This machine as a real node: {@code k4j server} inside a fresh network namespace registers its node, which turns
 * Ready (once the node IPAM controller gave it a pod CIDR) with the machine's capacity, labels and node info, and
 * renews its Lease; a {@code k4j agent} joins a second node with the full join token.
 */
class NodeAgentIT {

    @RegisterExtension
    static final NodeNamespace NODE = NodeNamespace.create();

    static final Duration READY = Duration.ofSeconds(90);
    static RunningServer server;
    static String serverNode;

    @BeforeAll
    static void startServer() throws Exception {
        serverNode = NODE.name() + "-server";
        server = NODE.startServer("k4j server: node " + serverNode + " registered", "--node-name", serverNode,
                "--runtime", "runc", "--kubelet-port", "10260", "--node-label", "team=a");
    }

    @Test
    void theServersNodeIsReadyWithTheMachinesCapacityLabelsAndInfo() throws Exception {
        Node node = awaitReady(server, serverNode);

        assertThat(node.getMetadata().getLabels())
                .containsEntry("kubernetes.io/hostname", serverNode).containsEntry("kubernetes.io/os", "linux")
                .containsEntry("kubernetes.io/arch", "amd64").containsEntry("beta.kubernetes.io/arch", "amd64")
                .containsEntry("node.kubernetes.io/instance-type", "k4j").containsEntry("team", "a")
                .containsEntry("node-role.kubernetes.io/control-plane", "true");
        var status = node.getStatus();
        assertThat(status.getCapacity().get("cpu").toString())
                .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
        assertThat(status.getCapacity().get("memory").toString()).isEqualTo(memTotalKiB() + "Ki");
        assertThat(status.getCapacity().get("pods").toString()).isEqualTo("110");
        assertThat(status.getAllocatable().get("memory").toString()).isEqualTo((memTotalKiB() - 100 * 1024) + "Ki");
        assertThat(status.getCapacity()).containsKey("ephemeral-storage");
        assertThat(status.getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=127.0.0.1", "Hostname=" + serverNode); // the namespace has no default route
        assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10260);
        var info = status.getNodeInfo();
        assertThat(info.getKubeletVersion()).isEqualTo("v1.32.0+k4j");
        assertThat(info.getContainerRuntimeVersion()).matches("runc://\\d+\\.\\d+\\.\\d+");
        assertThat(info.getOperatingSystem()).isEqualTo("linux");
        assertThat(info.getKernelVersion()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        assertThat(info.getBootID()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim());
        assertThat(status.getConditions()).extracting(NodeCondition::getType)
                .contains("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
        assertThat(server.kubectl("get", "nodes", "--no-headers").assertOk().out())
                .containsPattern(Pattern.quote(serverNode) + "\\s+Ready\\s+control-plane,master\\s");
        assertThat(NODE.dir().resolve("server/agent/tls/serving-kubelet.crt")).exists();
    }

    @Test
    void theNodesLeaseIsRenewedEveryTenSeconds() throws Exception {
        awaitReady(server, serverNode);
        ZonedDateTime first = lease(server, serverNode).getSpec().getRenewTime();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2))
                .until(() -> lease(server, serverNode).getSpec().getRenewTime().isAfter(first));

        Lease lease = lease(server, serverNode);
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(serverNode);
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getKind() + "/" + owner.getName()).isEqualTo("Node/" + serverNode));
    }

    @Test
    void anAgentJoinsWithTheFullTokenAndItsNodeTurnsReady() throws Exception {
        Path token = NODE.dir().resolve("server/server/node-token");
        String agentNode = NODE.name() + "-agent";

        assertThat(server.log()).contains("k4j server: nodes join with: k4j agent --server " + apiUrl(server)
                + " --token-file " + token);
        RunningServer agent = NODE.startAgent("k4j agent: joined", "--server", apiUrl(server), "--token-file", token.toString(),
                "--node-name", agentNode, "--kubelet-port", "10261", "--runtime", "runc");

        assertThat(agent.log()).contains("k4j agent: node " + agentNode + " registered (runc://")
                .doesNotContain("trusted on first use");
        Node node = awaitReady(server, agentNode);
        assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10261);
        assertThat(node.getMetadata().getLabels()).doesNotContainKey("node-role.kubernetes.io/control-plane");
        assertThat(agent.dataDir().resolve("agent/tls/serving-kubelet.crt")).exists();
        assertThat(agent.dataDir().resolve("agent/tls/server-ca.crt"))
                .hasSameBinaryContentAs(NODE.dir().resolve("server/server/tls/ca.crt"));
    }

    @Test
    void theSimulatedRuntimeSaysSo() throws Exception {
        String simulatedNode = NODE.name() + "-sim";

        RunningServer simulated = NODE.startAnotherServer("simulated", "k4j server: node " + simulatedNode, "--node-name",
                simulatedNode, "--runtime", "simulated", "--disable", "scheduler,controller-manager");

        assertThat(simulated.log()).contains("k4j server: node " + simulatedNode
                + " runs the simulated runtime: --runtime simulated");
        awaitReady(simulated, simulatedNode);
        simulated.close();
    }

    static Node awaitReady(RunningServer on, String name) {
        Node[] seen = new Node[1];
        await().atMost(READY).pollInterval(Duration.ofSeconds(1)).until(() -> {
            RunningServer.Result result = on.kubectl("get", "node", name, "-o", "json");
            if (result.exitCode() != 0) {
                return false;
            }
            seen[0] = Serialization.unmarshal(result.out(), Node.class);
            return seen[0].getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
        return seen[0];
    }

    static Lease lease(RunningServer on, String name) throws Exception {
        return Serialization.unmarshal(on.kubectl("get", "lease", "-n", "kube-node-lease", name, "-o", "json")
                .assertOk().out(), Lease.class);
    }

    static String apiUrl(RunningServer on) throws Exception {
        Matcher url = Pattern.compile("API server ready at (https://\\S+)").matcher(on.log());
        assertThat(url.find()).as("the server printed its URL").isTrue();
        return url.group(1);
    }

    static long memTotalKiB() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }
}
