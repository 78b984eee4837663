package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.kubelet.node.NodeAddresses;
import io.k4j.kubelet.node.NodeAgent;
import io.k4j.kubelet.node.ServingCertificates;
import io.k4j.pki.IssuedCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts this machine's node for {@code k4j server} and {@code k4j agent} with a real runtime: its serving
 * certificate, then the node agent (registration, status, Lease). The simulated runtime goes through
 * {@link SimulatedNodesOptions} instead. The kubelet proper (pods) joins here.
 */
final class KubeletLauncher {

    /** The labels k3s gives a server's node, which kubectl shows as its roles. */
    static final Map<String, String> SERVER_ROLE_LABELS = Map.of(
            "node-role.kubernetes.io/control-plane", "true", "node-role.kubernetes.io/master", "true");

    /** A started node: its agent and its serving certificate; closing stops the agent and closes the client. */
    record RunningNode(NodeAgent agent, IssuedCertificate servingCertificate, KubernetesClient client)
            implements AutoCloseable {
        @Override
        public void close() {
            agent.close();
            client.close();
        }

        @Override
        public String toString() {
            return agent.toString();
        }
    }

    private KubeletLauncher() {
    }

    /**
     * Issues (or reuses) the serving certificate in DATA_DIR/agent/tls, then registers the node and starts its
     * heartbeats. Takes ownership of {@code client}.
     */
    static RunningNode start(NodeOptions options, RuntimeChoice runtime, KubernetesClient client, Path dataDir,
            ServingCertificates.Issuer issuer, X509Certificate ca, Map<String, String> roleLabels) throws IOException {
        try {
            String nodeName = options.nodeName();
            String nodeIp = NodeAddresses.pick(options.nodeIp);
            String hostname = options.machine().hostname();
            IssuedCertificate certificate = ServingCertificates.loadOrIssue(dataDir.resolve("agent").resolve("tls"),
                    nodeName, ServingCertificates.dnsNames(nodeName, hostname), ServingCertificates.addresses(nodeIp),
                    ca, issuer, Instant.now());
            Map<String, String> labels = new LinkedHashMap<>(roleLabels);
            labels.putAll(options.labels());
            // As k3s: the node's name is its hostname to the cluster (label and Hostname address), so several
            // nodes on one machine stay apart.
            NodeAgent agent = NodeAgent.builder().client(client).nodeName(nodeName).nodeIp(nodeIp).hostname(nodeName)
                    .kubeletPort(options.kubeletPort).dataDir(dataDir).machine(options.machine())
                    .labels(labels).taints(options.taints()).containerRuntimeVersion(runtime.version())
                    .start();
            return new RunningNode(agent, certificate, client);
        } catch (KubernetesClientException e) {
            client.close();
            throw new IllegalArgumentException("cannot register the node: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The line that tells the user which runtime the node runs, and why when it was not asked for. */
    static void announce(PrintWriter out, String command, String nodeName, RuntimeChoice runtime) {
        if (runtime.isSimulated()) {
            out.printf("%s: node %s runs the simulated runtime: %s%n", command, nodeName,
                    runtime.reason() != null ? runtime.reason() : "--runtime simulated");
        } else {
            out.printf("%s: node %s registered (%s)%n", command, nodeName, runtime.version());
        }
    }
}
