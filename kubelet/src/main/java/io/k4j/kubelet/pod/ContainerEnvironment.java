package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/** Resolves a container's environment (env, envFrom, valueFrom, service links) over the image's. */
public interface ContainerEnvironment {

    /**
     * The final "NAME=VALUE" list.
     *
     * @throws ContainerConfigException when a referenced configMap, secret or key is missing and not optional
     */
    List<String> environment(Pod pod, Container container, List<String> imageEnv) throws ContainerConfigException;

    /** Expands $(VAR) references in command or args with the container's environment, as upstream does. */
    List<String> expand(List<String> commandOrArgs, Map<String, String> environment);

    /** Why a container cannot be created (status waiting reason CreateContainerConfigError). */
    final class ContainerConfigException extends Exception {
        public ContainerConfigException(String message) {
            super(message);
        }
    }
}
