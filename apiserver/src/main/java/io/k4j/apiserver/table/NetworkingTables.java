package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Nodes.at;
import static io.k4j.apiserver.table.Nodes.items;
import static io.k4j.apiserver.table.Nodes.name;
import static io.k4j.apiserver.table.Nodes.string;
import static io.k4j.apiserver.table.Table.AGE;
import static io.k4j.apiserver.table.Table.NAME;
import static io.k4j.apiserver.table.Table.text;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** networking.k8s.io/v1 Ingress, IngressClass, NetworkPolicy and discovery.k8s.io/v1 EndpointSlice. */
final class NetworkingTables {

    private NetworkingTables() {
    }

    static final TableConvertor INGRESS = Table.of((ingress, now) -> {
        JsonNode spec = ingress.path("spec");
        return List.of(name(ingress), Nodes.textOr(spec, Formats.NONE, "ingressClassName"), hosts(spec),
                Formats.loadBalancerIngress(at(ingress, "status", "loadBalancer")),
                Nodes.size(spec, "tls") > 0 ? "80, 443" : "80", Ages.of(ingress, now));
    }, NAME,
            text("Class", "The name of the IngressClass resource that should be used for additional configuration"),
            text("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
            text("Address", "Address is a list containing ingress points for the load-balancer"),
            text("Ports", "Ports of TLS configurations that open"), AGE);

    static final TableConvertor INGRESS_CLASS = Table.of((ingressClass, now) -> {
        JsonNode parameters = at(ingressClass, "spec", "parameters");
        String text = Formats.NONE;
        if (parameters.isObject()) {
            String group = Nodes.text(parameters, "apiGroup");
            text = string(parameters, "kind") + (group == null ? "" : "." + group) + "/" + string(parameters, "name");
        }
        return List.of(name(ingressClass), string(ingressClass, "spec", "controller"), text,
                Ages.of(ingressClass, now));
    }, NAME, text("Controller", "Controller that is responsible for handling this class"),
            text("Parameters", "A reference to a resource with additional parameters"), AGE);

    static final TableConvertor NETWORK_POLICY = Table.of((policy, now) -> List.of(
                    name(policy), Formats.labelSelector(at(policy, "spec", "podSelector")), Ages.of(policy, now)),
            NAME, text("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."),
            AGE);

    static final TableConvertor ENDPOINT_SLICE = Table.of((slice, now) -> {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : items(slice, "ports")) {
            ports.add(port.path("port").isNumber() ? String.valueOf(Nodes.number(port, "port"))
                    : port.path("name").asString("*"));
        }
        List<String> addresses = new ArrayList<>();
        items(slice, "endpoints").forEach(ep -> items(ep, "addresses").forEach(a -> addresses.add(a.asString(""))));
        return List.of(name(slice), string(slice, "addressType"), Formats.listWithMore(ports, 3),
                Formats.listWithMore(addresses, 3), Ages.of(slice, now));
    }, NAME, text("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
            text("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
            text("Endpoints", "endpoints is a list of unique endpoints in this slice."), AGE);

    /** Up to three rule hosts, "*" when none has a host (formatHosts). */
    private static String hosts(JsonNode spec) {
        List<JsonNode> rules = items(spec, "rules");
        List<String> list = new ArrayList<>();
        int max = 3;
        boolean more = false;
        for (JsonNode rule : rules) {
            if (list.size() == max) {
                more = true;
            }
            if (!more && !string(rule, "host").isEmpty()) {
                list.add(string(rule, "host"));
            }
        }
        if (list.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (rules.size() - max) + " more..." : joined;
    }
}
