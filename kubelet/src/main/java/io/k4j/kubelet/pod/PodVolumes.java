package io.k4j.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.k4j.kubelet.runtime.ContainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the pod workers need from the volume manager. */
public interface PodVolumes {

    /** Prepares every volume of the pod (idempotent) and returns volume name to node directory. */
    Map<String, Path> mount(Pod pod) throws IOException;

    /** The container's bind mounts for its volumeMounts (subPath resolved) plus the kubelet's own files. */
    List<ContainerConfig.Mount> mountsFor(Pod pod, Container container, Map<String, Path> volumes) throws IOException;

    /** Re-projects configMap, secret, downward API and token contents that changed. */
    void refresh(Pod pod);

    /** Tears down the pod's volumes (tmpfs unmounted, projected files removed; hostPath data kept). */
    void unmount(String podUid) throws IOException;
}
