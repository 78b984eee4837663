package io.k4j.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns the API's exec / httpGet / tcpSocket actions of one container into {@link ProbeActions} calls. */
final class HandlerTargets {

    private HandlerTargets() {
    }

    static ProbeResult exec(ProbeActions actions, ExecAction exec, String containerId, Duration timeout) {
        List<String> command = exec.getCommand() == null ? List.of() : exec.getCommand();
        return actions.exec(containerId, command, timeout);
    }

    static ProbeResult httpGet(ProbeActions actions, HTTPGetAction get, Container container, String podIp,
            Duration timeout, String userAgent) {
        int port;
        try {
            port = resolvePort(get.getPort(), container);
        } catch (IllegalArgumentException e) {
            return ProbeResult.error(e.getMessage());
        }
        String scheme = get.getScheme() == null || get.getScheme().isEmpty() ? "http"
                : get.getScheme().toLowerCase(Locale.ROOT);
        String path = get.getPath() == null ? "" : get.getPath();
        return actions.httpGet(hostOr(get.getHost(), podIp), port, path, scheme, headers(get, userAgent), timeout);
    }

    static ProbeResult tcp(ProbeActions actions, TCPSocketAction tcp, Container container, String podIp,
            Duration timeout) {
        try {
            return actions.tcp(hostOr(tcp.getHost(), podIp), resolvePort(tcp.getPort(), container), timeout);
        } catch (IllegalArgumentException e) {
            return ProbeResult.error(e.getMessage());
        }
    }

    /** The user's headers after the default User-Agent, so a user's User-Agent wins (upstream's order). */
    private static List<ProbeActions.Header> headers(HTTPGetAction get, String userAgent) {
        List<HTTPHeader> user = get.getHttpHeaders() == null ? List.of() : get.getHttpHeaders();
        boolean userAgentGiven = user.stream().anyMatch(h -> "user-agent".equalsIgnoreCase(h.getName()));
        List<ProbeActions.Header> result = new ArrayList<>();
        if (!userAgentGiven) {
            result.add(new ProbeActions.Header("User-Agent", userAgent));
        }
        user.forEach(h -> result.add(new ProbeActions.Header(h.getName(), h.getValue() == null ? "" : h.getValue())));
        return result;
    }

    private static String hostOr(String host, String podIp) {
        return host == null || host.isEmpty() ? podIp : host;
    }

    /** A port number, or the name of one of the container's ports (upstream's messages when neither fits). */
    static int resolvePort(IntOrString port, Container container) {
        if (port == null) {
            throw new IllegalArgumentException("intOrString had no kind: " + port);
        }
        int number;
        if (port.getIntVal() != null) {
            number = port.getIntVal();
        } else {
            number = portByName(port.getStrVal(), container);
        }
        if (number > 0 && number < 65536) {
            return number;
        }
        throw new IllegalArgumentException("invalid port number: " + number);
    }

    private static int portByName(String name, Container container) {
        List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
        for (ContainerPort p : ports) {
            if (name != null && name.equals(p.getName()) && p.getContainerPort() != null) {
                return p.getContainerPort();
            }
        }
        try {
            return Integer.parseInt(String.valueOf(name)); // upstream also accepts a number written as a string
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port " + name + " not found");
        }
    }
}
