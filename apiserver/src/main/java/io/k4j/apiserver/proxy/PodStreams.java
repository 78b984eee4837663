package io.k4j.apiserver.proxy;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.storage.ObjectStorage;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * pods/log, pods/exec, pods/attach and pods/portforward: finds the pod's node and its kubelet, then streams the log
 * from it or relays the upgraded connection (WebSocket or SPDY) to it.
 */
public final class PodStreams {

    public static final List<String> SUBRESOURCES = List.of("log", "exec", "attach", "portforward");

    private final ObjectStorage storage;
    private final ResourceDefinition nodes;
    private final LogProxy logs;
    private final UpgradeRelay relay;

    public PodStreams(ObjectStorage storage, ResourceDefinition nodes, KubeletConnector connector) {
        this.storage = storage;
        this.nodes = nodes;
        this.logs = new LogProxy(connector);
        this.relay = new UpgradeRelay(connector);
    }

    public void handle(ApiRequest request, Exchange exchange, ResourceDefinition pods, String namespace, String name,
                       String subresource) {
        if (!request.method().equals("GET") && !(request.method().equals("POST") && !subresource.equals("log"))) {
            throw ApiException.methodNotAllowed(request.method() + " is not allowed on pods/" + subresource);
        }
        ObjectNode pod = storage.get(pods, namespace, name);
        String container = subresource.equals("portforward") ? "" : container(pod, request.param("container"));
        String nodeName = pod.path("spec").path("nodeName").asString("");
        if (nodeName.isEmpty()) {
            throw ApiException.badRequest("pod " + name + " does not have a host assigned");
        }
        KubeletLocation kubelet = KubeletLocation.of(storage.get(nodes, "", nodeName));
        String target = switch (subresource) {
            case "log" -> "/containerLogs/" + namespace + "/" + name + "/" + container;
            case "exec" -> "/exec/" + namespace + "/" + name + "/" + container;
            case "attach" -> "/attach/" + namespace + "/" + name + "/" + container;
            default -> "/portForward/" + namespace + "/" + name;
        } + KubeletLocation.query(request.query(), List.of("container", "pretty"));
        if (subresource.equals("log")) {
            logs.stream(exchange, kubelet, target);
        } else {
            relay.relay(request, exchange, kubelet, target);
        }
    }

    /** The named container, or the only one; upstream's messages when it is missing or unknown. */
    private static String container(JsonNode pod, String requested) {
        String podName = pod.path("metadata").path("name").asString("");
        List<String> names = new ArrayList<>();
        for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
            pod.path("spec").path(field).forEach(container -> names.add(container.path("name").asString("")));
        }
        if (requested == null || requested.isEmpty()) {
            JsonNode containers = pod.path("spec").path("containers");
            if (containers.size() == 1) {
                return containers.get(0).path("name").asString("");
            }
            List<String> regular = new ArrayList<>();
            containers.forEach(container -> regular.add(container.path("name").asString("")));
            throw ApiException.badRequest("a container name must be specified for pod " + podName
                    + ", choose one of: [" + String.join(" ", regular) + "]");
        }
        if (!names.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }
}
