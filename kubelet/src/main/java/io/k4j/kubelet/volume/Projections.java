package io.k4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k4j.kubelet.container.ApiObjects;
import io.k4j.kubelet.container.ContainerConfigException;
import io.k4j.kubelet.container.FieldPaths;
import io.k4j.kubelet.container.ResourceFields;
import io.k4j.kubelet.volume.AtomicWriter.FileProjection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The files of configMap, secret, downwardAPI and projected volumes, as upstream's volume plugins compute them
 * (MakePayload, CollectData), with their messages.
 */
final class Projections {

    static final int DEFAULT_MODE = 0644;

    private final ApiObjects objects;
    private final TokenCache tokens;
    private final Supplier<Map<String, Quantity>> allocatable;

    Projections(ApiObjects objects, TokenCache tokens, Supplier<Map<String, Quantity>> allocatable) {
        this.objects = objects;
        this.tokens = tokens;
        this.allocatable = allocatable;
    }

    static boolean isProjected(Volume volume) {
        return volume.getConfigMap() != null || volume.getSecret() != null || volume.getDownwardAPI() != null
                || volume.getProjected() != null;
    }

    /** A projected volume's files by relative path. */
    Map<String, FileProjection> payload(Pod pod, Volume volume) throws VolumeException {
        Errors errors = new Errors();
        Map<String, FileProjection> payload = new LinkedHashMap<>();
        String namespace = pod.getMetadata().getNamespace();
        if (volume.getConfigMap() != null) {
            var source = volume.getConfigMap();
            boolean optional = Boolean.TRUE.equals(source.getOptional());
            Optional<ConfigMap> configMap = configMap(namespace, source.getName(), optional, errors);
            configMap.ifPresent(found -> configMapFiles(found, source.getItems(), mode(source.getDefaultMode()),
                    optional, payload, errors));
        } else if (volume.getSecret() != null) {
            var source = volume.getSecret();
            boolean optional = Boolean.TRUE.equals(source.getOptional());
            Optional<Secret> secret = secret(namespace, source.getSecretName(), optional, errors);
            secret.ifPresent(found -> secretFiles(found, source.getItems(), mode(source.getDefaultMode()), optional,
                    payload, errors));
        } else if (volume.getDownwardAPI() != null) {
            downwardFiles(pod, volume.getDownwardAPI().getItems(), mode(volume.getDownwardAPI().getDefaultMode()),
                    payload, errors);
        } else if (volume.getProjected() != null) {
            int defaultMode = mode(volume.getProjected().getDefaultMode());
            for (VolumeProjection source : orEmpty(volume.getProjected().getSources())) {
                projectedFiles(pod, volume.getName(), source, defaultMode, payload, errors);
            }
        }
        errors.throwIfAny(volume.getName());
        return payload;
    }

    private void projectedFiles(Pod pod, String volume, VolumeProjection source, int defaultMode,
            Map<String, FileProjection> payload, Errors errors) {
        String namespace = pod.getMetadata().getNamespace();
        if (source.getConfigMap() != null) {
            ConfigMapProjection ref = source.getConfigMap();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            configMap(namespace, ref.getName(), optional, errors).ifPresent(found ->
                    configMapFiles(found, ref.getItems(), defaultMode, optional, payload, errors));
        } else if (source.getSecret() != null) {
            SecretProjection ref = source.getSecret();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            secret(namespace, ref.getName(), optional, errors).ifPresent(found ->
                    secretFiles(found, ref.getItems(), defaultMode, optional, payload, errors));
        } else if (source.getDownwardAPI() != null) {
            downwardFiles(pod, source.getDownwardAPI().getItems(), defaultMode, payload, errors);
        } else if (source.getServiceAccountToken() != null) {
            try {
                String token = tokens.token(pod, volume, source.getServiceAccountToken());
                payload.put(source.getServiceAccountToken().getPath(),
                        new FileProjection(token.getBytes(StandardCharsets.UTF_8), defaultMode));
            } catch (KubernetesClientException e) {
                errors.add(apiMessage(e));
            } catch (Exception e) {
                errors.add(String.valueOf(e.getMessage()));
            }
        }
    }

    private Optional<ConfigMap> configMap(String namespace, String name, boolean optional, Errors errors) {
        try {
            Optional<ConfigMap> found = objects.configMap(namespace, name);
            if (found.isEmpty() && !optional) {
                errors.add("configmap \"" + name + "\" not found");
            }
            return found;
        } catch (KubernetesClientException e) {
            errors.add(apiMessage(e));
            return Optional.empty();
        }
    }

    private Optional<Secret> secret(String namespace, String name, boolean optional, Errors errors) {
        try {
            Optional<Secret> found = objects.secret(namespace, name);
            if (found.isEmpty() && !optional) {
                errors.add("secret \"" + name + "\" not found");
            }
            return found;
        } catch (KubernetesClientException e) {
            errors.add(apiMessage(e));
            return Optional.empty();
        }
    }

    private static void configMapFiles(ConfigMap configMap, List<KeyToPath> items, int defaultMode, boolean optional,
            Map<String, FileProjection> payload, Errors errors) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (configMap.getData() != null) {
            configMap.getData().forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
        }
        if (configMap.getBinaryData() != null) {
            configMap.getBinaryData().forEach((key, value) -> data.putIfAbsent(key, Base64.getDecoder().decode(value)));
        }
        keyFiles(data, items, defaultMode, optional, "configmap references non-existent config key: ", payload, errors);
    }

    private static void secretFiles(Secret secret, List<KeyToPath> items, int defaultMode, boolean optional,
            Map<String, FileProjection> payload, Errors errors) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
        }
        keyFiles(data, items, defaultMode, optional, "references non-existent secret key: ", payload, errors);
    }

    /** Every key as a file of its name, or only the listed items at their paths. */
    private static void keyFiles(Map<String, byte[]> data, List<KeyToPath> items, int defaultMode, boolean optional,
            String missingKey, Map<String, FileProjection> payload, Errors errors) {
        if (items == null || items.isEmpty()) {
            data.forEach((key, value) -> payload.put(key, new FileProjection(value, defaultMode)));
            return;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (!optional) {
                    errors.add(missingKey + item.getKey());
                    return;
                }
                continue;
            }
            payload.put(item.getPath(), new FileProjection(value, item.getMode() == null ? defaultMode : item.getMode()));
        }
    }

    private void downwardFiles(Pod pod, List<DownwardAPIVolumeFile> items, int defaultMode,
            Map<String, FileProjection> payload, Errors errors) {
        for (DownwardAPIVolumeFile item : orEmpty(items)) {
            int mode = item.getMode() == null ? defaultMode : item.getMode();
            try {
                String value;
                if (item.getFieldRef() != null) {
                    value = FieldPaths.metadataValue(pod, item.getFieldRef().getFieldPath());
                } else if (item.getResourceFieldRef() != null) {
                    value = ResourceFields.value(item.getResourceFieldRef(), pod, allocatable.get());
                } else {
                    continue;
                }
                payload.put(item.getPath(), new FileProjection(value.getBytes(StandardCharsets.UTF_8), mode));
            } catch (ContainerConfigException e) {
                errors.add(e.getMessage());
            }
        }
    }

    private static String apiMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
    }

    private static int mode(Integer mode) {
        return mode == null ? DEFAULT_MODE : mode;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Upstream aggregates a volume's errors: one is shown as is, several as [a, b]. */
    private static final class Errors {
        private final List<String> messages = new ArrayList<>();

        void add(String message) {
            messages.add(message);
        }

        void throwIfAny(String volume) throws VolumeException {
            if (messages.size() == 1) {
                throw new VolumeException(volume, messages.getFirst());
            }
            if (!messages.isEmpty()) {
                throw new VolumeException(volume, "[" + String.join(", ", messages) + "]");
            }
        }
    }
}
