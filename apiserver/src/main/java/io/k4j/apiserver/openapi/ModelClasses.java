package io.k4j.apiserver.openapi;

import io.k4j.apiserver.api.Json;
import java.util.Optional;

/**
 * The fabric8 model class of a served kind, found by apiVersion and kind in fabric8's own resource registry (every
 * model jar lists its kinds). Built-in kinds all have one; custom resources have none.
 */
public final class ModelClasses {

    private ModelClasses() {
    }

    public static Optional<Class<?>> forKind(String group, String version, String kind) {
        String apiVersion = group.isEmpty() ? version : group + "/" + version;
        try {
            Class<?> type = Json.SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
            // fabric8 answers with its generic class for kinds it does not know
            if (type == null || type.getName().startsWith("io.fabric8.kubernetes.api.model.GenericKubernetesResource")) {
                return Optional.empty();
            }
            return Optional.of(type);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
