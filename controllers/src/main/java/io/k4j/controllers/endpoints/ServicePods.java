package io.k4j.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k4j.controllers.api.Pods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Which pods back a Service and how, with upstream's rules (shared by the Endpoints and EndpointSlice controllers). */
public final class ServicePods {

    public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    public static final String TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ServicePods() {
    }

    /**
     * The object as it reads back from the API server (absent lists become empty ones, for instance), so that what
     * a controller wants compares equal to what it wrote.
     */
    public static <T> T asStored(T object) {
        return SERIALIZATION.clone(object);
    }

    /** The service's selector, or null when it has none (its endpoints are then someone else's business). */
    public static Map<String, String> selector(Service service) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        return selector == null || selector.isEmpty() ? null : selector;
    }

    public static boolean selects(Map<String, String> selector, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return selector != null && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    public static List<Pod> selected(Service service, List<Pod> podsInNamespace) {
        Map<String, String> selector = selector(service);
        List<Pod> pods = new ArrayList<>();
        for (Pod pod : podsInNamespace) {
            if (selects(selector, pod)) {
                pods.add(pod);
            }
        }
        return pods;
    }

    public static boolean headless(Service service) {
        return service.getSpec() != null && "None".equals(service.getSpec().getClusterIP());
    }

    public static boolean publishNotReady(Service service) {
        return service.getSpec() != null && Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    }

    /**
     * Whether the pod is an endpoint at all: it has an IP, is not being deleted (unless terminating pods count) and
     * will not run again (a finished pod that does not restart).
     */
    public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
        if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isEmpty()) {
            return false;
        }
        if (!includeTerminating && pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = pod.getStatus().getPhase();
        String restartPolicy = pod.getSpec() == null ? null : pod.getSpec().getRestartPolicy();
        if ("Never".equals(restartPolicy)) {
            return !"Failed".equals(phase) && !"Succeeded".equals(phase);
        }
        if ("OnFailure".equals(restartPolicy)) {
            return !"Succeeded".equals(phase);
        }
        return true;
    }

    public static boolean ready(Pod pod) {
        return Pods.isReady(pod);
    }

    /** The pod's hostname in the service's DNS, when the pod names the service as its subdomain. */
    public static String hostname(Pod pod, Service service) {
        String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
        if (hostname == null || hostname.isEmpty()) {
            return null;
        }
        boolean sameService = Objects.equals(pod.getSpec().getSubdomain(), service.getMetadata().getName())
                && Objects.equals(pod.getMetadata().getNamespace(), service.getMetadata().getNamespace());
        return sameService ? hostname : null;
    }

    /** The pod's port for a service port: the targetPort number, or the container port of that name and protocol. */
    public static Optional<Integer> findPort(Pod pod, ServicePort servicePort) {
        IntOrString target = servicePort.getTargetPort();
        if (target == null || target.getIntVal() == null && target.getStrVal() == null) {
            return Optional.ofNullable(servicePort.getPort());
        }
        if (target.getIntVal() != null) {
            return Optional.of(target.getIntVal());
        }
        String protocol = servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol();
        List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) { // sidecars (restartable init containers) serve too
            pod.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy()))
                    .forEach(containers::add);
        }
        for (Container container : containers) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                String portProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
                if (target.getStrVal().equals(port.getName()) && protocol.equals(portProtocol)) {
                    return Optional.of(port.getContainerPort());
                }
            }
        }
        return Optional.empty();
    }

    /** The service's labels, plus the headless label for a headless service, as upstream copies them. */
    public static Map<String, String> labelsOf(Service service) {
        Map<String, String> labels = service.getMetadata().getLabels() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(service.getMetadata().getLabels());
        if (headless(service)) {
            labels.put(HEADLESS_LABEL, "");
        } else {
            labels.remove(HEADLESS_LABEL);
        }
        return labels;
    }
}
