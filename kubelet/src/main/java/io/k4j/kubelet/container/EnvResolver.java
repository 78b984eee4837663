package io.k4j.kubelet.container;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A container's environment as upstream's kubelet makes it (makeEnvironmentVariables): envFrom first, then env in
 * order (values $(VAR)-expanded against the variables before them and the service variables; valueFrom resolved),
 * then the service link variables nothing overrode; all of it over the image's environment.
 */
public final class EnvResolver {

    private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    /**
     * What the node knows about the pod and itself that env values may ask for.
     *
     * @param podIPs      the pod's addresses, the first being status.podIP
     * @param hostIPs     the node's addresses, the first being status.hostIP
     * @param allocatable the node's allocatable resources: the limits a container does not set
     */
    public record NodeFacts(List<String> podIPs, List<String> hostIPs, Map<String, Quantity> allocatable) {
        public NodeFacts {
            podIPs = List.copyOf(podIPs);
            hostIPs = List.copyOf(hostIPs);
            allocatable = Map.copyOf(allocatable);
        }
    }

    /**
     * The result.
     *
     * @param env       the final environment, NAME=VALUE, the image's variables first (overridden in place)
     * @param variables the kubelet-made variables alone (without the image's): what command and args expand against
     * @param warnings  upstream's InvalidEnvironmentVariableNames event messages, for the kubelet to record
     */
    public record ContainerEnv(List<String> env, Map<String, String> variables, List<String> warnings) {
    }

    private final ApiObjects objects;

    public EnvResolver(ApiObjects objects) {
        this.objects = objects;
    }

    /** {@link Expansion#expand(List, Map)}: a container's command or args expanded against its variables. */
    public static List<String> expand(List<String> commandOrArgs, Map<String, String> env) {
        return Expansion.expand(commandOrArgs, env);
    }

    public ContainerEnv resolve(Pod pod, Container container, List<String> imageEnv, NodeFacts facts)
            throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        boolean serviceLinks = pod.getSpec().getEnableServiceLinks() == null || pod.getSpec().getEnableServiceLinks();
        Map<String, String> serviceEnv = ServiceEnv.forPod(namespace, serviceLinks,
                serviceLinks ? lookup(() -> objects.services(namespace)) : List.of(),
                lookup(() -> objects.services("default")));
        Sources sources = new Sources(namespace);
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (EnvFromSource from : orEmpty(container.getEnvFrom())) {
            addEnvFrom(from, sources, variables, warnings, namespace);
        }
        for (EnvVar var : orEmpty(container.getEnv())) {
            String value = var.getValue() == null ? "" : var.getValue();
            if (!value.isEmpty()) {
                value = Expansion.expand(value, variables, serviceEnv);
            } else if (var.getValueFrom() != null) {
                Optional<String> resolved = valueFrom(var.getValueFrom(), pod, container, facts, sources);
                if (resolved.isEmpty()) {
                    continue; // an optional source that is missing
                }
                value = resolved.get();
            }
            variables.put(var.getName(), value); // a redefinition keeps its first place (upstream's order is a map's)
        }
        serviceEnv.forEach(variables::putIfAbsent);
        return new ContainerEnv(mergeOverImage(imageEnv, variables), Map.copyOf(variables), List.copyOf(warnings));
    }

    private void addEnvFrom(EnvFromSource from, Sources sources, Map<String, String> variables, List<String> warnings,
            String namespace) throws ContainerConfigException {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        Map<String, String> data;
        String what;
        String name;
        if (from.getConfigMapRef() != null) {
            name = from.getConfigMapRef().getName();
            what = "configMap";
            Optional<ConfigMap> configMap = sources.configMap(name, isTrue(from.getConfigMapRef().getOptional()));
            if (configMap.isEmpty()) {
                return;
            }
            data = configMapData(configMap.get());
        } else if (from.getSecretRef() != null) {
            name = from.getSecretRef().getName();
            what = "secret";
            Optional<Secret> secret = sources.secret(name, isTrue(from.getSecretRef().getOptional()));
            if (secret.isEmpty()) {
                return;
            }
            data = secretData(secret.get());
        } else {
            return;
        }
        TreeSet<String> invalid = new TreeSet<>();
        data.forEach((key, value) -> {
            String variable = prefix + key;
            if (isEnvVarName(variable)) {
                variables.put(variable, value);
            } else {
                invalid.add(variable);
            }
        });
        if (!invalid.isEmpty()) {
            warnings.add("Keys [" + String.join(", ", invalid) + "] from the EnvFrom " + what + " " + namespace + "/"
                    + name + " were skipped since they are considered invalid environment variable names.");
        }
    }

    private Optional<String> valueFrom(EnvVarSource source, Pod pod, Container container, NodeFacts facts,
            Sources sources) throws ContainerConfigException {
        if (source.getFieldRef() != null) {
            return Optional.of(fieldValue(source.getFieldRef(), pod, facts));
        }
        if (source.getResourceFieldRef() != null) {
            return Optional.of(ResourceFields.value(source.getResourceFieldRef(), container, facts.allocatable()));
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            boolean optional = isTrue(ref.getOptional());
            Optional<ConfigMap> configMap = sources.configMap(ref.getName(), optional);
            if (configMap.isEmpty()) {
                return Optional.empty();
            }
            String value = configMap.get().getData() == null ? null : configMap.get().getData().get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap "
                        + sources.namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            boolean optional = isTrue(ref.getOptional());
            Optional<Secret> secret = sources.secret(ref.getName(), optional);
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            String value = secretData(secret.get()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret "
                        + sources.namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        return Optional.of("");
    }

    /** Upstream's podFieldSelectorRuntimeValue. */
    static String fieldValue(ObjectFieldSelector selector, Pod pod, NodeFacts facts) throws ContainerConfigException {
        String path = selector.getFieldPath() == null ? "" : selector.getFieldPath();
        return switch (path) {
            case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
            case "status.hostIP" -> facts.hostIPs().isEmpty() ? "" : facts.hostIPs().getFirst();
            case "status.hostIPs" -> String.join(",", facts.hostIPs());
            case "status.podIP" -> facts.podIPs().isEmpty() ? "" : facts.podIPs().getFirst();
            case "status.podIPs" -> String.join(",", facts.podIPs());
            default -> FieldPaths.metadataValue(pod, path);
        };
    }

    /** The image's variables in their order with the kubelet's values over them, then the kubelet's new ones. */
    private static List<String> mergeOverImage(List<String> imageEnv, Map<String, String> variables) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String entry : orEmpty(imageEnv)) {
            int eq = entry.indexOf('=');
            merged.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        }
        merged.putAll(variables);
        List<String> env = new ArrayList<>(merged.size());
        merged.forEach((name, value) -> env.add(name + "=" + value));
        return env;
    }

    static boolean isEnvVarName(String name) {
        return ENV_VAR_NAME.matcher(name).matches() && !name.equals(".") && !name.startsWith("..");
    }

    public static Map<String, String> configMapData(ConfigMap configMap) {
        return configMap.getData() == null ? Map.of() : configMap.getData();
    }

    /** A secret's values decoded (data is base64; stringData never reaches a stored secret, but is honoured). */
    public static Map<String, String> secretData(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) ->
                    data.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    /** ConfigMaps and Secrets of the pod's namespace, each fetched once per container (as upstream). */
    private final class Sources {
        private final String namespace;
        private final Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
        private final Map<String, Optional<Secret>> secrets = new HashMap<>();

        Sources(String namespace) {
            this.namespace = namespace;
        }

        /** The configMap; empty when missing and optional; missing and required is an error. */
        Optional<ConfigMap> configMap(String name, boolean optional) throws ContainerConfigException {
            Optional<ConfigMap> found = configMaps.get(name);
            if (found == null) {
                found = lookup(() -> objects.configMap(namespace, name));
                configMaps.put(name, found);
            }
            if (found.isEmpty() && !optional) {
                throw new ContainerConfigException("configmap \"" + name + "\" not found");
            }
            return found;
        }

        Optional<Secret> secret(String name, boolean optional) throws ContainerConfigException {
            Optional<Secret> found = secrets.get(name);
            if (found == null) {
                found = lookup(() -> objects.secret(namespace, name));
                secrets.put(name, found);
            }
            if (found.isEmpty() && !optional) {
                throw new ContainerConfigException("secret \"" + name + "\" not found");
            }
            return found;
        }
    }

    /** An API read; a failure other than not-found becomes the container's config error. */
    static <T> T lookup(Supplier<T> read) throws ContainerConfigException {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            throw new ContainerConfigException(e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : String.valueOf(e.getMessage()));
        }
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
