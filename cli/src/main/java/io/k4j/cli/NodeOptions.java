package io.k4j.cli;

import io.fabric8.kubernetes.api.model.Taint;
import io.k4j.kubelet.node.MachineInfo;
import io.k4j.simulation.NodeShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The node's flags, shared by {@code k4j server} and {@code k4j agent} (k3s's names, but --runtime). */
final class NodeOptions {

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name (default: the hostname, in lower case).")
    String nodeName;

    @Option(names = "--node-ip", paramLabel = "IP",
            description = "This node's InternalIP (default: the address of the default route's interface, else 127.0.0.1).")
    String nodeIp;

    @Option(names = "--node-label", paramLabel = "KEY=VALUE",
            description = "A label for this node, set at every registration (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--node-taint", paramLabel = "KEY=VALUE:EFFECT",
            description = "A taint this node is registered with (repeatable; only when the node is created).")
    List<String> taints = new ArrayList<>();

    @Option(names = "--runtime", paramLabel = "RUNTIME",
            description = "Container runtime: runc, crun or simulated (default: runc when running as root with runc, "
                    + "conmon and the CNI plugins installed, else simulated).")
    String runtime;

    @Option(names = "--kubelet-port", paramLabel = "PORT", defaultValue = "10250",
            description = "Port of the node's streaming server (logs, exec, attach, port-forward) (default: ${DEFAULT-VALUE}).")
    int kubeletPort;

    @Option(names = "--cgroup-root", paramLabel = "PATH", defaultValue = "/k4j",
            description = "The cgroup every pod's cgroup goes under, in each hierarchy (default: ${DEFAULT-VALUE}).")
    String cgroupRoot;

    @Option(names = "--private-registry", paramLabel = "FILE", defaultValue = "/etc/k4j/registries.yaml",
            description = "Registry mirrors and credentials, k3s's registries.yaml format (default: ${DEFAULT-VALUE}; "
                    + "registries on loopback are reached over plain http without it).")
    java.nio.file.Path privateRegistry;

    @Option(names = "--cluster-dns", paramLabel = "IP", defaultValue = "10.43.0.10",
            description = "The cluster DNS service's address, the nameserver of pods with dnsPolicy ClusterFirst "
                    + "(default: ${DEFAULT-VALUE}).")
    String clusterDns;

    @Option(names = "--resolv-conf", paramLabel = "FILE",
            description = "The resolv.conf whose nameservers the cluster DNS forwards other names to (default: "
                    + "/etc/resolv.conf, or systemd-resolved's upstream file when that lists only loopback).")
    java.nio.file.Path resolvConf;

    @Option(names = "--disable-kube-proxy",
            description = "Do not run the service proxy on this node (k3s's flag; Services then reach no pods here).")
    boolean disableKubeProxy;

    /** The cluster's pod range, k3s's default: the service proxy masquerades traffic from outside it. */
    static final String CLUSTER_CIDR = "10.42.0.0/16";

    private MachineInfo machine;

    MachineInfo machine() {
        if (machine == null) {
            machine = MachineInfo.local();
        }
        return machine;
    }

    String nodeName() {
        String name = nodeName != null ? nodeName : machine().hostname();
        if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || name.length() > 253) {
            throw new IllegalArgumentException("--node-name: \"" + name + "\" is not a valid node name (lower-case "
                    + "letters, digits, '-' and '.'); pass --node-name");
        }
        return name;
    }

    Map<String, String> labels() {
        return NodeShape.parseLabels(String.join(",", labels));
    }

    List<Taint> taints() {
        return NodeShape.parseTaints(String.join(",", taints));
    }

    RuntimeChoice chooseRuntime() {
        if (kubeletPort < 1 || kubeletPort > 65535) {
            throw new IllegalArgumentException("--kubelet-port: " + kubeletPort + " is not a port");
        }
        if (!cgroupRoot.startsWith("/") || cgroupRoot.contains("..")) {
            throw new IllegalArgumentException("--cgroup-root: \"" + cgroupRoot + "\" must be an absolute cgroup path");
        }
        return RuntimeChoice.choose(runtime, RuntimeChoice.Host.local());
    }
}
