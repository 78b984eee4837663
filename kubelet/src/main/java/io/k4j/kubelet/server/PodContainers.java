package io.k4j.kubelet.server;

import java.nio.file.Path;
import java.util.Optional;

/** How the streaming server finds a pod's containers: the kubelet's view of what runs on this node. */
public interface PodContainers {

    /** The runtime id of the named container's current instance, if the pod is on this node and it exists. */
    Optional<String> containerId(String namespace, String pod, String container);

    /** The pod's sandbox id, if it is on this node. */
    Optional<String> sandboxId(String namespace, String pod);

    /** The log file of the current instance, or of the one before it ({@code previous}). */
    Optional<Path> logPath(String namespace, String pod, String container, boolean previous);

    /** Whether the named container's current instance has exited (ends a {@code follow}). */
    boolean exited(String namespace, String pod, String container);
}
