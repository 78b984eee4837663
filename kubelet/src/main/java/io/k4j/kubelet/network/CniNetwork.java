package io.k4j.kubelet.network;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.k4j.kubelet.runtime.SandboxConfig.PortMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pod network through CNI plugins, run as a chain the way a CNI library would: loopback on lo, a bridge with
 * host-local addresses from the pod CIDR on eth0 (the bridge is the pods' gateway), and portmap for host ports.
 * Plugins run in the node's network namespace. Traffic leaving the pod range is masqueraded by one set of rules for
 * the whole range ({@link PodMasquerade}), installed before the first pod gets its network.
 */
public final class CniNetwork implements PodNetwork {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CNI_VERSION = "1.0.0";
    private static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(30);

    private final Path pluginDir;
    private final String networkName;
    private final String bridgeName;
    private final Path ipamDataDir;
    private final Path nodeNetns;
    private volatile String podCidr;
    private String masqueradedCidr;

    private CniNetwork(Builder builder) {
        this.pluginDir = builder.pluginDir;
        this.networkName = builder.networkName;
        this.bridgeName = builder.bridgeName;
        this.ipamDataDir = Objects.requireNonNull(builder.ipamDataDir, "ipamDataDir");
        this.nodeNetns = builder.nodeNetns;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The plugins a pod network needs, missing from {@code pluginDir}; empty when all are there. */
    public static List<String> missingPlugins(Path pluginDir) {
        return List.of("bridge", "host-local", "loopback", "portmap").stream()
                .filter(plugin -> !Files.isExecutable(pluginDir.resolve(plugin))).toList();
    }

    @Override
    public void updatePodCidr(String cidr) {
        this.podCidr = cidr;
    }

    @Override
    public Path nodeNetns() {
        return nodeNetns;
    }

    @Override
    public List<String> setUp(String sandboxId, Path netns, List<PortMapping> portMappings) throws IOException {
        if (podCidr == null) {
            throw new IOException("the node has no pod CIDR yet: cannot give the pod an address");
        }
        ensureMasquerade(podCidr);
        invoke("ADD", sandboxId, netns, "lo", loopbackConf());
        JsonNode result = invoke("ADD", sandboxId, netns, "eth0", bridgeConf());
        if (!portMappings.isEmpty()) {
            ObjectNode portmap = portmapConf(portMappings);
            portmap.set("prevResult", result);
            invoke("ADD", sandboxId, netns, "eth0", portmap);
        }
        List<String> ips = new ArrayList<>();
        for (JsonNode ip : result.path("ips")) {
            ips.add(ip.path("address").asString().replaceFirst("/.*", ""));
        }
        if (ips.isEmpty()) {
            throw new IOException("the CNI bridge plugin gave the pod no address: " + result);
        }
        return ips;
    }

    @Override
    public void tearDown(String sandboxId, Path netns, List<PortMapping> portMappings) throws IOException {
        if (!portMappings.isEmpty()) {
            invoke("DEL", sandboxId, netns, "eth0", portmapConf(portMappings));
        }
        if (podCidr != null) {
            invoke("DEL", sandboxId, netns, "eth0", bridgeConf());
        }
        if (Files.exists(netns)) {
            invoke("DEL", sandboxId, netns, "lo", loopbackConf());
        }
    }

    private synchronized void ensureMasquerade(String cidr) throws IOException {
        if (!cidr.equals(masqueradedCidr)) {
            PodMasquerade.ensure(NetworkNamespaces.enter(nodeNetns), cidr);
            masqueradedCidr = cidr;
        }
    }

    private ObjectNode loopbackConf() {
        ObjectNode conf = header();
        conf.put("type", "loopback");
        return conf;
    }

    private ObjectNode bridgeConf() {
        ObjectNode conf = header();
        conf.put("type", "bridge");
        conf.put("bridge", bridgeName);
        conf.put("isGateway", true);
        conf.put("ipMasq", false);
        conf.put("hairpinMode", true);
        ObjectNode ipam = conf.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.put("dataDir", ipamDataDir.toString());
        ArrayNode range = ipam.putArray("ranges").addArray();
        range.addObject().put("subnet", podCidr);
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        return conf;
    }

    private ObjectNode portmapConf(List<PortMapping> portMappings) {
        ObjectNode conf = header();
        conf.put("type", "portmap");
        conf.putObject("capabilities").put("portMappings", true);
        ArrayNode mappings = conf.putObject("runtimeConfig").putArray("portMappings");
        for (PortMapping mapping : portMappings) {
            ObjectNode node = mappings.addObject();
            node.put("hostPort", mapping.hostPort());
            node.put("containerPort", mapping.containerPort());
            node.put("protocol", mapping.protocol() == null ? "tcp" : mapping.protocol().toLowerCase());
            if (mapping.hostIp() != null && !mapping.hostIp().isEmpty()) {
                node.put("hostIP", mapping.hostIp());
            }
        }
        return conf;
    }

    private ObjectNode header() {
        ObjectNode conf = JSON.createObjectNode();
        conf.put("cniVersion", CNI_VERSION);
        conf.put("name", networkName);
        return conf;
    }

    private JsonNode invoke(String command, String sandboxId, Path netns, String ifName, ObjectNode conf)
            throws IOException {
        String type = conf.get("type").asString();
        List<String> argv = new ArrayList<>(NetworkNamespaces.enter(nodeNetns));
        argv.add(pluginDir.resolve(type).toString());
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", sandboxId);
        env.put("CNI_NETNS", netns.toString());
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_PATH", pluginDir.toString());
        ProcessRunner.Result result = ProcessRunner.run(argv, env, JSON.writeValueAsBytes(conf), PLUGIN_TIMEOUT);
        if (!result.ok()) {
            throw new IOException("CNI " + type + " " + command + " failed: " + pluginError(result));
        }
        String out = result.out().strip();
        return out.isEmpty() ? JSON.createObjectNode() : JSON.readTree(out);
    }

    private static String pluginError(ProcessRunner.Result result) {
        if (result.timedOut()) {
            return "timed out after " + PLUGIN_TIMEOUT.toSeconds() + "s";
        }
        try {
            JsonNode error = JSON.readTree(result.out());
            String details = error.path("details").asString("");
            return error.path("msg").asString(result.out()) + (details.isEmpty() ? "" : ": " + details);
        } catch (tools.jackson.core.JacksonException notJson) {
            return (result.out() + " " + result.err()).strip();
        }
    }

    public static final class Builder {
        private Path pluginDir = Path.of("/usr/lib/cni");
        private String networkName = "k4j";
        private String bridgeName = "cni0";
        private Path ipamDataDir;
        private Path nodeNetns;

        public Builder pluginDir(Path pluginDir) {
            this.pluginDir = pluginDir;
            return this;
        }

        public Builder networkName(String networkName) {
            this.networkName = networkName;
            return this;
        }

        /** At most 15 characters (a Linux interface name). */
        public Builder bridgeName(String bridgeName) {
            if (bridgeName.length() > 15) {
                throw new IllegalArgumentException("bridge name " + bridgeName + " is longer than 15 characters");
            }
            this.bridgeName = bridgeName;
            return this;
        }

        /** Where host-local keeps its address allocations. */
        public Builder ipamDataDir(Path ipamDataDir) {
            this.ipamDataDir = ipamDataDir;
            return this;
        }

        /** The node's network namespace when it is not this process' (all-in-one and tests). */
        public Builder nodeNetns(Path nodeNetns) {
            this.nodeNetns = nodeNetns;
            return this;
        }

        public CniNetwork build() {
            return new CniNetwork(this);
        }
    }
}
