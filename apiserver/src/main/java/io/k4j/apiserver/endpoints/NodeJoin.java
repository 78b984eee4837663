package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.auth.UserInfo;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.k4j.pki.CertificateAuthority;
import io.k4j.pki.IssuedCertificate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a joining node needs before it has any certificate, as k3s serves it: {@code GET /cacerts} (anonymous: the
 * cluster CA, which the node checks against its token's CA hash) and {@code POST /k4j/v1/kubelet-serving-certificate}
 * (for the join token's user, group system:nodes: a serving certificate for the node's names and addresses,
 * signed by the cluster CA).
 */
public final class NodeJoin {

    public static final String CA_PATH = "/cacerts";
    public static final String SERVING_CERTIFICATE_PATH = "/k4j/v1/kubelet-serving-certificate";
    static final String NODES_GROUP = "system:nodes";

    private final CertificateAuthority ca;
    private final byte[] caBundle;
    private final InstantSource clock;

    public NodeJoin(CertificateAuthority ca, byte[] caBundle, InstantSource clock) {
        this.ca = ca;
        this.caBundle = caBundle.clone();
        this.clock = clock;
    }

    boolean handles(String path) {
        return path.equals(CA_PATH) || path.equals(SERVING_CERTIFICATE_PATH);
    }

    void handle(ApiRequest request, Exchange exchange) {
        if (request.path().equals(CA_PATH)) {
            requireMethod(request, "GET");
            exchange.send(200, "text/plain; charset=utf-8", caBundle, Map.of());
            return;
        }
        requireMethod(request, "POST");
        UserInfo user = request.user();
        if (user == null || user.isAnonymous()) {
            throw ApiException.unauthorized();
        }
        if (!user.groups().contains(NODES_GROUP)) {
            throw ApiException.forbidden("User \"" + user.name() + "\" cannot request a kubelet serving certificate: "
                    + "not in group " + NODES_GROUP);
        }
        JsonNode body = Json.parse(request.body());
        String nodeName = body.path("nodeName").asString("");
        if (!nodeName.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || nodeName.length() > 253) {
            throw ApiException.badRequest("nodeName must be a DNS subdomain: \"" + nodeName + "\"");
        }
        List<String> dnsNames = new ArrayList<>(List.of(nodeName));
        for (JsonNode name : body.path("dnsNames")) {
            if (!dnsNames.contains(name.asString())) {
                dnsNames.add(name.asString());
            }
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (JsonNode address : body.path("addresses")) {
            addresses.add(literalAddress(address.asString()));
        }
        IssuedCertificate issued = ca.issueServer("system:node:" + nodeName, dnsNames, addresses, clock.instant());
        ObjectNode answer = Json.object();
        answer.put("certificate", issued.certificatePem());
        answer.put("key", issued.privateKeyPem());
        Responses.json(exchange, 200, answer);
    }

    private static void requireMethod(ApiRequest request, String method) {
        if (!request.method().equals(method)) {
            throw ApiException.methodNotAllowed(request.method() + " is not allowed on " + request.path());
        }
    }

    /** An IP literal only: a name here would make the server resolve what a node claims. */
    private static InetAddress literalAddress(String text) {
        if (!text.matches("[0-9.]+|[0-9a-fA-F:.]+")) {
            throw ApiException.badRequest("not an IP address: \"" + text + "\"");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw ApiException.badRequest("not an IP address: \"" + text + "\"");
        }
    }
}
