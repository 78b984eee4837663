package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.dns.ClusterDns;
import io.k4j.dns.KubeDnsService;
import io.k4j.dns.forward.ResolvConf;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Path;

/**
 * The cluster DNS inside {@code k4j server}: a {@link ClusterDns} on the node's address, port 53, and the Service
 * kube-system/kube-dns (the {@code --cluster-dns} address) whose endpoint is that listener, so the service proxy
 * takes pods' queries there. Binding port 53 needs root (or CAP_NET_BIND_SERVICE): without it the server runs on and
 * says why there is no cluster DNS.
 */
final class ClusterDnsLauncher {
    static final int PORT = 53;

    private ClusterDnsLauncher() {
    }

    /** The running DNS server (closing it closes the client too); null when it cannot listen here. */
    static AutoCloseable start(KubernetesClient client, String nodeIp, String serviceIp, Path resolvConf,
            java.io.PrintWriter out) throws IOException {
        InetAddress address = InetAddress.getByName(nodeIp);
        ClusterDns.Builder builder = ClusterDns.builder().client(client).bindAddress(address).port(PORT)
                .serviceAddress(InetAddress.getByName(serviceIp));
        if (resolvConf != null) {
            if (!java.nio.file.Files.isReadable(resolvConf)) {
                client.close();
                throw new IllegalArgumentException("--resolv-conf: cannot read " + resolvConf);
            }
            builder.upstreams(ResolvConf.nameservers(resolvConf));
        }
        ClusterDns dns;
        try {
            dns = builder.build().start();
        } catch (SocketException e) {
            client.close();
            out.printf("k4j server: no cluster DNS: cannot listen on %s:%d (%s)%n", nodeIp, PORT, e.getMessage());
            return null;
        }
        KubeDnsService.ensure(client, serviceIp, address, PORT);
        out.printf("k4j server: cluster DNS at %s (listening on %s:%d, forwarding to %s)%n", serviceIp, nodeIp, PORT,
                dns.upstreams());
        return () -> {
            dns.close();
            client.close();
        };
    }
}
