package io.k4j.kubelet.container;

/**
 * A container whose configuration cannot be made (a missing ConfigMap, key or Secret, a bad field path): the kubelet
 * shows it as the container's waiting state with reason {@link #REASON} and this message, as upstream does.
 */
public class ContainerConfigException extends Exception {

    public static final String REASON = "CreateContainerConfigError";

    public ContainerConfigException(String message) {
        super(message);
    }
}
