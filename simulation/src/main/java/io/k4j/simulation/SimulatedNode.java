package io.k4j.simulation;

/** One simulated node: its name, its place in the address plan and its zone (null when there are no zones). */
record SimulatedNode(String name, int index, String internalIp, PodIpPool podIps, String zone) {

    static final String NAME_PREFIX = "sim-node-";

    static SimulatedNode of(int index, int nodeCount, int zones) {
        return named(NAME_PREFIX + index, index, nodeCount, zones);
    }

    /** A node with a name of its own, at {@code index} of the address plan. */
    static SimulatedNode named(String name, int index, int nodeCount, int zones) {
        return new SimulatedNode(name, index, AddressPlan.nodeIp(index),
                new PodIpPool(AddressPlan.podCidr(index, nodeCount)), zones > 0 ? "zone-" + index % zones : null);
    }

    String podCidr() {
        return podIps.subnet().toString();
    }
}
