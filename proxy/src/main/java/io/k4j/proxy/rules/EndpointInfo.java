package io.k4j.proxy.rules;

/** One backend of a service port, with the EndpointSlice conditions kube-proxy looks at. */
public record EndpointInfo(String ip, int port, boolean ready, boolean serving, boolean terminating, String nodeName) {

    public static EndpointInfo ready(String ip, int port, String nodeName) {
        return new EndpointInfo(ip, port, true, true, false, nodeName);
    }

    /** "ip:port", the form used in DNAT targets, comments and SEP chain hashes. */
    public String hostPort() {
        return ip + ":" + port;
    }

    boolean isLocal(String node) {
        return nodeName != null && nodeName.equals(node);
    }
}
