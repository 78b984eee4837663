package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.kubelet.node.NodeAddresses;
import io.k4j.proxy.Iptables;
import io.k4j.proxy.ServiceProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code k4j proxy}: the service proxy alone against an API server, or, with {@code --cleanup}, the removal of every
 * chain and rule a service proxy left in this network namespace (both iptables back ends), as kube-proxy's flag does.
 */
@Command(name = "proxy", description = "Run the service proxy against an API server, or remove its rules (--cleanup).")
final class ProxyCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--cleanup", description = "Remove the service proxy's iptables chains and rules, then exit.")
    boolean cleanup;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "How to reach the API server.")
    Path kubeconfig;

    @Option(names = "--node-name", paramLabel = "NAME", description = "The node this proxy serves (default: the hostname).")
    String nodeName;

    @Option(names = "--node-ip", paramLabel = "IP", description = "The node's address (default: the default route's).")
    String nodeIp;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (cleanup) {
            boolean clean = ServiceProxy.cleanup(Iptables.local());
            out.println(clean ? "k4j proxy: service proxy rules removed"
                    : "k4j proxy: some service proxy rules could not be removed (see the log)");
            out.flush();
            return clean ? 0 : 1;
        }
        if (kubeconfig == null) {
            throw new IllegalArgumentException("--kubeconfig is required unless --cleanup is given");
        }
        NodeOptions node = new NodeOptions();
        node.nodeName = nodeName;
        String name = node.nodeName();
        String address = NodeAddresses.pick(nodeIp);
        KubernetesClient client = Clients.fromKubeconfig(kubeconfig);
        ServiceProxy proxy = ServiceProxy.builder().client(client).nodeName(name).nodeIps(() -> List.of(address))
                .clusterCidr(NodeOptions.CLUSTER_CIDR).build().start();
        out.printf("k4j proxy: service proxy for node %s (%s) running%n", name, address);
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close();
            stopped.countDown();
        }, "k4j-proxy-shutdown"));
        stopped.await();
        return 0;
    }
}
