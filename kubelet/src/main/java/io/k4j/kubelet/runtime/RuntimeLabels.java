package io.k4j.kubelet.runtime;

/** Labels the kubelet puts on sandboxes and containers, upstream's names, so state can be found again after a restart. */
public final class RuntimeLabels {
    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    /** Annotations, as upstream keeps them. */
    public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
    public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";

    private RuntimeLabels() {
    }
}
