package io.k4j.apiserver.proxy;

import io.k4j.apiserver.api.ApiException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Where a node's kubelet listens: its address (InternalIP, else Hostname) and daemonEndpoints' kubelet port. */
record KubeletLocation(String host, int port) {

    static final int DEFAULT_PORT = 10250;

    static KubeletLocation of(JsonNode node) {
        String name = node.path("metadata").path("name").asString("");
        JsonNode addresses = node.path("status").path("addresses");
        String host = null;
        for (String type : List.of("InternalIP", "Hostname")) {
            for (JsonNode address : addresses) {
                if (host == null && type.equals(address.path("type").asString(""))
                        && !address.path("address").asString("").isEmpty()) {
                    host = address.path("address").asString();
                }
            }
        }
        if (host == null) {
            throw ApiException.badRequest("no preferred addresses found; known addresses: []");
        }
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        return new KubeletLocation(host, port > 0 ? port : DEFAULT_PORT);
    }

    /** The host as it goes in a URL or Host header (IPv6 in brackets). */
    String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    static String query(Map<String, List<String>> query, List<String> dropped) {
        StringBuilder text = new StringBuilder();
        query.forEach((name, values) -> {
            if (dropped.contains(name)) {
                return;
            }
            for (String value : values) {
                text.append(text.isEmpty() ? "?" : "&").append(encode(name)).append('=').append(encode(value));
            }
        });
        return text.toString();
    }

    static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
