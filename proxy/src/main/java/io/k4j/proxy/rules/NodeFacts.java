package io.k4j.proxy.rules;

import java.util.List;

/**
 * What the rules need to know about the node: its name (for local endpoints), its addresses (where NodePorts
 * answer, besides 127.0.0.1; empty means every local address) and the pod CIDR (traffic from outside it to a
 * cluster IP is masqueraded).
 */
public record NodeFacts(String nodeName, List<String> nodeIps, String clusterCidr, boolean localhostNodePorts) {

    public NodeFacts {
        nodeIps = List.copyOf(nodeIps);
    }
}
