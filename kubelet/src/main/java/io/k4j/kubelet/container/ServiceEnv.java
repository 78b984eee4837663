package io.k4j.kubelet.container;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Upstream's service environment variables: for each service with a cluster IP, NAME_SERVICE_HOST, NAME_SERVICE_PORT
 * (and _PORTNAME for named ports) and Docker link variables (NAME_PORT, NAME_PORT_80_TCP, ..._PROTO, _PORT, _ADDR).
 */
final class ServiceEnv {

    private ServiceEnv() {
    }

    /**
     * The services a pod sees: those of its namespace when service links are enabled, and always default/kubernetes.
     */
    static Map<String, String> forPod(String namespace, boolean enableServiceLinks, Collection<Service> namespaceServices,
            Collection<Service> defaultServices) {
        Map<String, Service> byName = new LinkedHashMap<>();
        for (Service service : defaultServices) {
            if (service.getMetadata().getName().equals("kubernetes") && hasClusterIp(service)) {
                byName.put("kubernetes", service);
            }
        }
        if (enableServiceLinks) {
            for (Service service : namespaceServices) {
                if (hasClusterIp(service) && !(namespace.equals("default") && service.getMetadata().getName().equals("kubernetes"))) {
                    byName.put(service.getMetadata().getName(), service);
                }
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        byName.values().forEach(service -> addVariables(service, env));
        return env;
    }

    private static boolean hasClusterIp(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None") && service.getSpec().getPorts() != null
                && !service.getSpec().getPorts().isEmpty();
    }

    private static void addVariables(Service service, Map<String, String> env) {
        String prefix = variableName(service.getMetadata().getName());
        String ip = service.getSpec().getClusterIP();
        List<ServicePort> ports = service.getSpec().getPorts();
        env.put(prefix + "_SERVICE_HOST", ip);
        String portName = prefix + "_SERVICE_PORT";
        env.put(portName, Integer.toString(ports.getFirst().getPort()));
        for (ServicePort port : ports) {
            if (port.getName() != null && !port.getName().isEmpty()) {
                env.put(portName + "_" + variableName(port.getName()), Integer.toString(port.getPort()));
            }
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
            String lower = protocol.toLowerCase(Locale.ROOT);
            String url = lower + "://" + host + ":" + port.getPort();
            if (i == 0) {
                env.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", Integer.toString(port.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    static String variableName(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
