package io.k4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/** A host port a container claims: protocol, host IP (0.0.0.0 for all) and port. */
public record HostPort(String protocol, String ip, int port) {

    public static final String ALL_ADDRESSES = "0.0.0.0";

    /** Two claims clash when protocol and port agree and either listens on all addresses or both on the same one. */
    public boolean conflictsWith(HostPort other) {
        return port == other.port && protocol.equals(other.protocol)
                && (ip.equals(other.ip) || ip.equals(ALL_ADDRESSES) || other.ip.equals(ALL_ADDRESSES));
    }

    /** The host ports a pod's containers claim (initContainers included, as upstream). */
    public static List<HostPort> of(Pod pod) {
        List<HostPort> ports = new ArrayList<>(0);
        addPorts(pod.getSpec().getContainers(), ports);
        addPorts(pod.getSpec().getInitContainers(), ports);
        return ports;
    }

    private static void addPorts(List<Container> containers, List<HostPort> into) {
        if (containers == null) {
            return;
        }
        for (Container container : containers) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    String ip = port.getHostIP() == null || port.getHostIP().isEmpty() ? ALL_ADDRESSES : port.getHostIP();
                    String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
                    into.add(new HostPort(protocol, ip, port.getHostPort()));
                }
            }
        }
    }
}
