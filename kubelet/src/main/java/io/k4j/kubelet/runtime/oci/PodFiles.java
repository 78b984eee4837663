package io.k4j.kubelet.runtime.oci;

import io.k4j.kubelet.runtime.SandboxConfig;
import io.k4j.kubelet.runtime.SandboxConfig.DnsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The /etc/hosts, /etc/resolv.conf and /etc/hostname every container of a pod gets, as the kubelet writes them. */
final class PodFiles {
    private static final Path NODE_RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final Path NODE_HOSTS = Path.of("/etc/hosts");

    private PodFiles() {
    }

    static void write(SandboxRecord sandbox, String clusterDomain) throws IOException {
        SandboxConfig config = sandbox.config();
        Files.writeString(sandbox.hostsFile(), hosts(config, sandbox.ips(), clusterDomain));
        Files.writeString(sandbox.resolvConf(), resolvConf(config.dns()));
        Files.writeString(sandbox.hostnameFile(), config.hostname() + "\n");
    }

    static String hosts(SandboxConfig config, List<String> ips, String clusterDomain) throws IOException {
        StringBuilder hosts = new StringBuilder();
        if (config.hostNetwork()) {
            hosts.append(Files.exists(NODE_HOSTS) ? Files.readString(NODE_HOSTS) : "");
        } else {
            hosts.append("# Kubernetes-managed hosts file.\n")
                    .append("127.0.0.1\tlocalhost\n")
                    .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                    .append("fe00::0\tip6-localnet\n")
                    .append("fe00::0\tip6-mcastprefix\n")
                    .append("fe00::1\tip6-allnodes\n")
                    .append("fe00::2\tip6-allrouters\n");
            for (String ip : ips) {
                hosts.append(ip).append('\t');
                if (config.subdomain() != null && !config.subdomain().isEmpty()) {
                    hosts.append(config.hostname()).append('.').append(config.subdomain()).append('.')
                            .append(config.namespace()).append(".svc.").append(clusterDomain).append('\t');
                }
                hosts.append(config.hostname()).append('\n');
            }
        }
        Map<String, List<String>> aliases = config.hostAliases();
        if (aliases != null && !aliases.isEmpty()) {
            hosts.append("\n# Entries added by HostAliases.\n");
            aliases.forEach((ip, names) -> hosts.append(ip).append('\t').append(String.join("\t", names)).append('\n'));
        }
        return hosts.toString();
    }

    /** The pod's DNS settings; without any, the node's own minus loopback servers (unreachable from a pod). */
    static String resolvConf(DnsConfig dns) throws IOException {
        if (dns == null) {
            if (!Files.exists(NODE_RESOLV_CONF)) {
                return "";
            }
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(NODE_RESOLV_CONF)) {
                String[] fields = line.strip().split("\\s+");
                boolean loopback = fields.length > 1 && fields[0].equals("nameserver")
                        && (fields[1].startsWith("127.") || fields[1].equals("::1"));
                if (!loopback) {
                    lines.add(line);
                }
            }
            return String.join("\n", lines) + "\n";
        }
        StringBuilder text = new StringBuilder();
        if (dns.searches() != null && !dns.searches().isEmpty()) {
            text.append("search ").append(String.join(" ", dns.searches())).append('\n');
        }
        if (dns.nameservers() != null) {
            dns.nameservers().forEach(server -> text.append("nameserver ").append(server).append('\n'));
        }
        if (dns.options() != null && !dns.options().isEmpty()) {
            text.append("options ").append(String.join(" ", dns.options())).append('\n');
        }
        return text.toString();
    }
}
