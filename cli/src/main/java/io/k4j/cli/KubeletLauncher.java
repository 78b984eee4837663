package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.kubelet.Kubelet;
import io.k4j.kubelet.image.ImageGarbageCollector;
import io.k4j.kubelet.image.LocalImageService;
import io.k4j.kubelet.image.RegistriesConfig;
import io.k4j.kubelet.network.CniNetwork;
import io.k4j.kubelet.node.NodeAddresses;
import io.k4j.kubelet.runtime.oci.OciBinary;
import io.k4j.kubelet.runtime.SandboxConfig;
import io.k4j.proxy.ServiceProxy;
import io.k4j.kubelet.runtime.oci.OciRuntime;
import io.k4j.kubelet.server.KubeletServer;
import java.time.Clock;
import io.k4j.kubelet.node.NodeAgent;
import io.k4j.kubelet.node.ServingCertificates;
import io.k4j.pki.IssuedCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts this machine's node for {@code k4j server} and {@code k4j agent} with a real runtime: its serving
 * certificate, the image store, the node agent (registration, status, Lease), the container runtime, the kubelet
 * (pods) and its streaming server, and the service proxy (unless disabled). The simulated runtime goes through
 * {@link SimulatedNodesOptions} instead.
 */
final class KubeletLauncher {

    /** The labels k3s gives a server's node, which kubectl shows as its roles. */
    static final Map<String, String> SERVER_ROLE_LABELS = Map.of(
            "node-role.kubernetes.io/control-plane", "true", "node-role.kubernetes.io/master", "true");

    /**
     * A started node: its agent, its kubelet and streaming server, and its serving certificate. Closing stops them
     * and closes the client; the containers keep running (the next start adopts them).
     */
    record RunningNode(NodeAgent agent, Kubelet kubelet, KubeletServer streaming, ServiceProxy proxy,
            IssuedCertificate servingCertificate, KubernetesClient client) implements AutoCloseable {
        @Override
        public void close() {
            if (proxy != null) {
                try {
                    proxy.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            streaming.close();
            kubelet.close();
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
            Path agentDir = dataDir.resolve("agent");
            LocalImageService images = LocalImageService.builder().root(agentDir.resolve("images"))
                    .registries(RegistriesConfig.load(options.privateRegistry)).clock(Clock.systemUTC()).build();
            NodeAgent agent = NodeAgent.builder().client(client).nodeName(nodeName).nodeIp(nodeIp).hostname(nodeName)
                    .kubeletPort(options.kubeletPort).dataDir(dataDir).machine(options.machine())
                    .labels(labels).taints(options.taints()).containerRuntimeVersion(runtime.version())
                    .images(images::list).start();
            OciRuntime containers = OciRuntime.builder().stateDir(agentDir.resolve("containers"))
                    .binary(OciBinary.named(runtime.name(), agentDir.resolve("bin")))
                    .network(CniNetwork.builder().ipamDataDir(agentDir.resolve("cni")).build())
                    .cgroupRoot(options.cgroupRoot).build();
            Kubelet kubelet = Kubelet.builder().client(client).nodeName(nodeName).dataDir(agentDir).runtime(containers)
                    .images(images).cgroupRoot(options.cgroupRoot)
                    .clusterDns(new SandboxConfig.DnsConfig(List.of(options.clusterDns), List.of(), List.of()))
                    .imageGarbageCollector(new ImageGarbageCollector(images,
                            ImageGarbageCollector.FilesystemStats.of(agentDir.resolve("images")),
                            ImageGarbageCollector.Policy.DEFAULT, Clock.systemUTC()))
                    .start();
            KubeletServer streaming;
            try {
                streaming = KubeletServer.builder().bind("0.0.0.0", options.kubeletPort).tls(certificate, ca)
                        .pods(kubelet.podContainers()).runtime(containers).start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the streaming server", e);
            }
            ServiceProxy proxy = options.disableKubeProxy ? null : ServiceProxy.builder().client(client)
                    .nodeName(nodeName).nodeIps(() -> List.of(nodeIp)).clusterCidr(NodeOptions.CLUSTER_CIDR).build()
                    .start();
            return new RunningNode(agent, kubelet, streaming, proxy, certificate, client);
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
